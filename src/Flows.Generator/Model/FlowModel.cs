namespace Flows.Generator.Model;

/// <summary>
/// Everything the emitter needs to write one flow's file, and nothing tied to a compilation:
/// types are <c>global::</c> names, values are C# expressions, slots are resolved numbers.
/// </summary>
/// <param name="Id">The flow method's stable identity, <c>Namespace.Type.Method</c>; subflow references use it.</param>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ContainingTypes">The partial types around the flow, outermost first.</param>
/// <param name="MethodName">The flow method's name.</param>
/// <param name="ClassName">The generated class's name, <c>&lt;Method&gt;Flow</c>.</param>
/// <param name="DisplayName">The flow's name in reports: <c>[Flow(Name=...)]</c> or <c>Type.Method</c>.</param>
/// <param name="Accessibility">The generated class's accessibility, the flow method's own.</param>
/// <param name="Parameters">The graph inputs: the flow's parameters except cancellation tokens.</param>
/// <param name="ResultType">The flow's result type, or null when it returns nothing.</param>
/// <param name="Tasks">One descriptor per distinct task method the flow calls, in first-use order.</param>
/// <param name="Constants">The constant slot values as C# expressions, in first-use order.</param>
/// <param name="Nodes">The graph's nodes in body (topological) order.</param>
/// <param name="OutputSlot">The slot of the flow's result, or -1.</param>
/// <param name="HintName">The generated file's stable name.</param>
internal sealed record FlowModel(
    string Id,
    string Namespace,
    EquatableArray<ContainingTypeModel> ContainingTypes,
    string MethodName,
    string ClassName,
    string DisplayName,
    string Accessibility,
    EquatableArray<ParameterModel> Parameters,
    string? ResultType,
    EquatableArray<TaskModel> Tasks,
    EquatableArray<string> Constants,
    EquatableArray<NodeModel> Nodes,
    int OutputSlot,
    string HintName)
{
    /// <summary>The body's branches (<c>if</c>, <c>switch</c>, <c>catch</c>), parents first.</summary>
    public EquatableArray<BranchModel> Branches { get; init; }

    /// <summary>
    /// Why the flow's arguments cannot be serialized (so that it gets no arguments codec and cannot run
    /// with a store), or null when every parameter's type has a serializer.
    /// </summary>
    public string? ArgumentsProblem { get; init; }

    /// <summary>Every shape the arguments codec needs, sorted by key; empty when there is a problem.</summary>
    public EquatableArray<TypeShapeModel> ArgumentShapes { get; init; }

    /// <summary>The flow's signature for the assembly's flow catalog, or null when the catalog cannot name the flow (a private one).</summary>
    public CatalogSignatureModel? Catalog { get; init; }
}
