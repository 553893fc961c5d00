namespace Flows.Generator;

/// <summary>
/// Tracking names of the generator's pipeline steps, so that tests can assert each step's
/// incremental run reason (<c>Cached</c>/<c>Unchanged</c> after an unrelated edit).
/// </summary>
internal static class FlowGeneratorSteps
{
    /// <summary>Each <c>[Flow]</c> method parsed into a model, or null when its body is refused.</summary>
    public const string FlowModels = nameof(FlowModels);

    /// <summary>The flows whose bodies were accepted.</summary>
    public const string AcceptedFlows = nameof(AcceptedFlows);

    /// <summary>All accepted flows together, to check subflow references.</summary>
    public const string AllFlows = nameof(AllFlows);

    /// <summary>The flows whose subflows (transitively) exist and do not call back: these get a file.</summary>
    public const string EmittedFlows = nameof(EmittedFlows);

    /// <summary>The namespace of the assembly's registry and serializers, from the assembly name.</summary>
    public const string RegistryNamespace = nameof(RegistryNamespace);

    /// <summary>Each emitted flow with the registry namespace its descriptors live in.</summary>
    public const string FlowFiles = nameof(FlowFiles);

    /// <summary>The assembly's task registry and serializers: every task once, every type shape once.</summary>
    public const string Registry = nameof(Registry);

    /// <summary>The assembly's flow catalog: every flow code outside its type can reach, with its signature.</summary>
    public const string Catalog = nameof(Catalog);
}
