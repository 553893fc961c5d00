namespace Flows.Generator.Model;

/// <summary>What a graph node runs; mirrors the runtime's <c>FlowNodeKind</c>.</summary>
internal enum NodeKind
{
    /// <summary>One task call.</summary>
    Task,

    /// <summary><c>Flow.Map(task, items, ...)</c> or <c>Flow.TryMap(task, items, ...)</c>.</summary>
    Map,

    /// <summary>A call of another flow.</summary>
    Subflow,
}

/// <summary>One node of a flow's graph.</summary>
/// <param name="Kind">What it runs.</param>
/// <param name="Name">Its name, unique within the flow (<c>Parse</c>, <c>Parse#2</c>).</param>
/// <param name="TaskIndex">Index into the flow's tasks for Task and Map nodes; -1 for subflows.</param>
/// <param name="MapInputType">For Map nodes: the element type, a <c>global::</c> name.</param>
/// <param name="MapOutputType">For Map nodes: the per-element result type, a <c>global::</c> name.</param>
/// <param name="SubflowId">For Subflow nodes: the called flow's id.</param>
/// <param name="SubflowClass">For Subflow nodes: the called flow's generated class, a <c>global::</c> name.</param>
/// <param name="SubflowInSource">For Subflow nodes: the called flow is generated in this compilation (not in a reference).</param>
/// <param name="InputSlots">The slots the node reads, in parameter order (for Map: the collection first, then the whole arguments).</param>
/// <param name="KeepsFailures">For Map nodes: <c>Flow.TryMap</c>, which keeps each element's outcome instead of failing.</param>
internal sealed record NodeModel(
    NodeKind Kind,
    string Name,
    int TaskIndex,
    string? MapInputType,
    string? MapOutputType,
    string? SubflowId,
    string? SubflowClass,
    bool SubflowInSource,
    EquatableArray<int> InputSlots,
    bool KeepsFailures = false);
