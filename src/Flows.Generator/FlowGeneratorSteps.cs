namespace Flows.Generator;

/// <summary>
/// Tracking names of the generator's pipeline steps, so that tests can assert each step's
/// incremental run reason (<c>Cached</c>/<c>Unchanged</c> after an unrelated edit).
/// </summary>
public static class FlowGeneratorSteps
{
    /// <summary>Each <c>[Flow]</c> method parsed into a model, or null when its body is refused.</summary>
    public const string FlowModels = nameof(FlowModels);

    /// <summary>The flows whose bodies were accepted.</summary>
    public const string AcceptedFlows = nameof(AcceptedFlows);

    /// <summary>All accepted flows together, to check subflow references.</summary>
    public const string AllFlows = nameof(AllFlows);

    /// <summary>The flows whose subflows (transitively) exist and do not call back: these get a file.</summary>
    public const string EmittedFlows = nameof(EmittedFlows);
}
