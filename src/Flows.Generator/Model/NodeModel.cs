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

    /// <summary>A point later steps wait for (the end of a statement with side effects, a finally's entry).</summary>
    Join,

    /// <summary>A local's value (or the result) where branches join.</summary>
    Merge,

    /// <summary>One element of a tuple result.</summary>
    Item,

    /// <summary>The end of a try block, which decides whether a catch clause takes its failure.</summary>
    TryEnd,
}

/// <summary>What a node needs of a node it waits for; mirrors the runtime's <c>FlowEdgeKind</c>.</summary>
internal enum EdgeKind
{
    /// <summary>Succeeded, or in a branch not taken.</summary>
    Completed,

    /// <summary>Ran, whatever the outcome.</summary>
    Ran,

    /// <summary>Any terminal state.</summary>
    Settled,
}

/// <summary>An edge that carries no value: statement order, a try block's end, a finally's entry.</summary>
/// <param name="Node">The node waited for.</param>
/// <param name="Kind">What is needed of it.</param>
internal readonly record struct OrderEdgeModel(int Node, EdgeKind Kind);

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
    bool KeepsFailures = false)
{
    /// <summary>The branch the node is in (an index into the flow's branches), or -1.</summary>
    public int Branch { get; init; } = -1;

    /// <summary>The nodes it waits for besides its inputs.</summary>
    public EquatableArray<OrderEdgeModel> After { get; init; }

    /// <summary>The TryEnd node whose catch clauses may take this node's failure, or -1.</summary>
    public int CatchScope { get; init; } = -1;

    /// <summary>For TryEnd nodes: each catch clause's exception type, a full metadata name.</summary>
    public EquatableArray<string> CatchTypes { get; init; }

    /// <summary>For Merge nodes: the branch each input is taken under (-1: always).</summary>
    public EquatableArray<int> MergeBranches { get; init; }

    /// <summary>For Item nodes: which element of the tuple.</summary>
    public int ItemIndex { get; init; }

    /// <summary>
    /// For a Map node whose collection is another Map node's result that nothing else reads whole: that
    /// node, whose elements it reads one by one (the runtime may run the two depth-first); -1 otherwise.
    /// </summary>
    public int ChainedFrom { get; init; } = -1;
}
