using System.ComponentModel;

namespace Flows.Graph;

/// <summary>What a node of a flow graph runs.</summary>
public enum FlowNodeKind
{
    /// <summary>One call of a task.</summary>
    Task,

    /// <summary>One call of a task per element of a collection (<c>Flow.Map</c>, <c>Flow.TryMap</c>).</summary>
    Map,

    /// <summary>A whole other flow, run as part of this one.</summary>
    Subflow,

    /// <summary>
    /// A point of the body that later steps wait for (the end of an <c>if</c> with side effects, the
    /// entry of a <c>finally</c>, the end of a <c>try</c> statement). Runs no code; not in the run's records.
    /// </summary>
    Join,

    /// <summary>
    /// The value of a local after branches join (or of the flow's result after several returns): the
    /// input of the branch that ran. Runs no code; not in the run's records.
    /// </summary>
    Merge,

    /// <summary>One element of a tuple another node returned (<c>var (low, high) = Bounds(xs)</c>). Runs no code; not in the run's records.</summary>
    Item,

    /// <summary>
    /// The end of a <c>try</c> block: waits for every node of the block, then decides whether one of
    /// its catch clauses takes the first failure. Runs no code; not in the run's records.
    /// </summary>
    TryEnd,
}

/// <summary>
/// One node of a <see cref="FlowGraph"/>. Inputs are slot numbers: flow parameters first, then the
/// graph's constants, then one slot per node holding that node's result.
/// </summary>
public sealed class FlowNode
{
    private FlowNode(FlowNodeKind kind, string name, TaskDescriptor? task, IMapAdapter? map, FlowGraph? subflow, int[] inputSlots)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(inputSlots);
        Kind = kind;
        Name = name;
        Task = task;
        Map = map;
        Subflow = subflow;
        Inputs = inputSlots;
        InputSlots = Array.AsReadOnly(inputSlots);
    }

    private FlowNode(FlowNode source)
        : this(source.Kind, source.Name, source.Task, source.Map, source.Subflow, source.Inputs)
    {
        Branch = source.Branch;
        CatchScope = source.CatchScope;
        OrderNodes = source.OrderNodes;
        OrderKinds = source.OrderKinds;
        CatchTypes = source.CatchTypes;
        MergeBranches = source.MergeBranches;
        ItemIndex = source.ItemIndex;
        ChainedFrom = source.ChainedFrom;
    }

    /// <summary>A call of <paramref name="task"/> whose arguments are read from <paramref name="inputSlots"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForTask(string name, TaskDescriptor task, params int[] inputSlots)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(inputSlots);
        return new FlowNode(FlowNodeKind.Task, name, task, null, null, (int[])inputSlots.Clone());
    }

    /// <summary>
    /// A call of <paramref name="task"/> per element of the collection in <paramref name="collectionSlot"/>;
    /// the element is the task's first argument, the others come from <paramref name="extraInputSlots"/>.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForMap(string name, TaskDescriptor task, IMapAdapter adapter, int collectionSlot, params int[] extraInputSlots)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (adapter.KeepsFailures)
        {
            throw new ArgumentException($"Map node '{name}': the adapter keeps failed elements, which only a TryMap node does; use FlowNode.ForTryMap.", nameof(adapter));
        }

        return MapNode(name, task, adapter, collectionSlot, extraInputSlots);
    }

    /// <summary>
    /// A call of <paramref name="task"/> per element of the collection in <paramref name="collectionSlot"/>
    /// (<c>Flow.TryMap</c>) that keeps each element's outcome: an element that fails does not fail
    /// the node, which succeeds once every element has ended. Arguments as in <see cref="ForMap"/>.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForTryMap(string name, TaskDescriptor task, IMapAdapter adapter, int collectionSlot, params int[] extraInputSlots)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (!adapter.KeepsFailures)
        {
            throw new ArgumentException($"TryMap node '{name}': the adapter does not keep failed elements; pass a TryMapAdapter.", nameof(adapter));
        }

        return MapNode(name, task, adapter, collectionSlot, extraInputSlots);
    }

    private static FlowNode MapNode(string name, TaskDescriptor task, IMapAdapter adapter, int collectionSlot, int[] extraInputSlots)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(extraInputSlots);
        var inputs = new int[extraInputSlots.Length + 1];
        inputs[0] = collectionSlot;
        extraInputSlots.CopyTo(inputs, 1);
        return new FlowNode(FlowNodeKind.Map, name, task, adapter, null, inputs);
    }

    /// <summary>A run of <paramref name="subflow"/> whose parameters are read from <paramref name="inputSlots"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForSubflow(string name, FlowGraph subflow, params int[] inputSlots)
    {
        ArgumentNullException.ThrowIfNull(subflow);
        if (inputSlots.Length != subflow.ParameterNames.Count)
        {
            throw new FlowDefinitionException(
                $"Subflow node '{name}' passes {inputSlots.Length} inputs, but flow '{subflow.Name}' takes {subflow.ParameterNames.Count}.");
        }

        return new FlowNode(FlowNodeKind.Subflow, name, null, null, subflow, (int[])inputSlots.Clone());
    }

    /// <summary>A point later steps wait for; it runs no code. Its edges come from <see cref="After"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForJoin(string name) => new(FlowNodeKind.Join, name, null, null, null, Array.Empty<int>());

    /// <summary>
    /// The value of a local where branches join: candidate i is <paramref name="inputSlots"/>[i], taken
    /// when branch <paramref name="branches"/>[i] holds (-1: always); the first that holds wins.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForMerge(string name, int[] branches, int[] inputSlots)
    {
        ArgumentNullException.ThrowIfNull(branches);
        ArgumentNullException.ThrowIfNull(inputSlots);
        if (branches.Length != inputSlots.Length || branches.Length == 0)
        {
            throw new FlowDefinitionException($"Merge node '{name}' needs one branch per input and at least one input; it has {branches.Length} branches and {inputSlots.Length} inputs.");
        }

        return new FlowNode(FlowNodeKind.Merge, name, null, null, null, (int[])inputSlots.Clone()) { MergeBranches = (int[])branches.Clone() };
    }

    /// <summary>Element <paramref name="item"/> (0-based) of the tuple in <paramref name="tupleSlot"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForItem(string name, int tupleSlot, int item)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(item);
        return new FlowNode(FlowNodeKind.Item, name, null, null, null, new[] { tupleSlot }) { ItemIndex = item };
    }

    /// <summary>
    /// The end of a <c>try</c> block. Clause i catches failures whose exception is of type
    /// <paramref name="catchTypes"/>[i] (a full type name; <c>System.Exception</c> catches every failure);
    /// none for a <c>try</c>/<c>finally</c>. The block's nodes are its <see cref="FlowEdgeKind.Settled"/> edges.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForTryEnd(string name, params string[] catchTypes)
    {
        ArgumentNullException.ThrowIfNull(catchTypes);
        return new FlowNode(FlowNodeKind.TryEnd, name, null, null, null, Array.Empty<int>()) { CatchTypes = (string[])catchTypes.Clone() };
    }

    /// <summary>This node, in branch <paramref name="branch"/> of the graph: it runs only when the branch holds.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowNode InBranch(int branch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(branch);
        return new FlowNode(this) { Branch = branch };
    }

    /// <summary>This node, waiting also for <paramref name="nodes"/> (by node index), with what it needs of them.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowNode After(FlowEdgeKind kind, params int[] nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var orderNodes = new int[OrderNodes.Length + nodes.Length];
        var orderKinds = new FlowEdgeKind[orderNodes.Length];
        OrderNodes.CopyTo(orderNodes, 0);
        OrderKinds.CopyTo(orderKinds, 0);
        nodes.CopyTo(orderNodes, OrderNodes.Length);
        orderKinds.AsSpan(OrderNodes.Length).Fill(kind);
        return new FlowNode(this) { OrderNodes = orderNodes, OrderKinds = orderKinds };
    }

    /// <summary>
    /// This node, inside a <c>try</c> block with catch clauses: its failure is the <c>try</c>'s to
    /// handle (node <paramref name="tryEndNode"/>), and fails the run only if no clause takes it.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowNode CaughtBy(int tryEndNode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tryEndNode);
        return new FlowNode(this) { CatchScope = tryEndNode };
    }

    /// <summary>
    /// This Map node, reading the elements of Map node <paramref name="mapNode"/> (its collection) one by
    /// one, and nothing else reading that map whole: the run may then run both depth-first, element by
    /// element in a bounded window (see <see cref="ChainedFrom"/>). The graph checks the claim.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowNode ReadingElementsOf(int mapNode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mapNode);
        return new FlowNode(this) { ChainedFrom = mapNode };
    }

    /// <summary>
    /// For a Map node of a chain (<c>Flow.Map(B, Flow.Map(A, xs))</c>): the Map node whose elements it reads
    /// one by one, and which nothing else reads whole; -1 otherwise. Element i of this map may start as soon
    /// as element i of that one succeeded, and that element's result is dropped once this one has read it.
    /// </summary>
    public int ChainedFrom { get; private init; } = -1;

    /// <summary>What the node runs.</summary>
    public FlowNodeKind Kind { get; }

    /// <summary>The node's name in reports: the task's name, made unique within the flow.</summary>
    public string Name { get; }

    /// <summary>The task called (Task and Map nodes).</summary>
    public TaskDescriptor? Task { get; }

    /// <summary>The typed collection handling of a Map node.</summary>
    public IMapAdapter? Map { get; }

    /// <summary>
    /// Whether this Map node keeps its elements' failures as outcomes (<c>Flow.TryMap</c>) rather
    /// than failing with the first of them.
    /// </summary>
    public bool KeepsElementFailures => Map?.KeepsFailures == true;

    /// <summary>The flow run by a Subflow node.</summary>
    public FlowGraph? Subflow { get; }

    /// <summary>Where each input comes from, by slot number.</summary>
    public IReadOnlyList<int> InputSlots { get; }

    /// <summary>The branch the node is in (an index into <see cref="FlowGraph.Branches"/>), or -1.</summary>
    public int Branch { get; private init; } = -1;

    /// <summary>The <c>TryEnd</c> node whose catch clauses may take this node's failure, or -1.</summary>
    public int CatchScope { get; private init; } = -1;

    /// <summary>The nodes this node waits for besides its inputs (statement order, <c>try</c> blocks), by index.</summary>
    public IReadOnlyList<int> OrderEdges => OrderNodes;

    /// <summary>What this node needs of each of <see cref="OrderEdges"/>, index for index.</summary>
    public IReadOnlyList<FlowEdgeKind> OrderEdgeKinds => OrderKinds;

    /// <summary>For a TryEnd node: the exception type each catch clause takes, in order.</summary>
    public IReadOnlyList<string> CatchClauses => CatchTypes;

    /// <summary>For a Merge node: the branch under which each input is taken (-1: always).</summary>
    public IReadOnlyList<int> InputBranches => MergeBranches;

    /// <summary>For an Item node: which element of the tuple.</summary>
    public int ItemIndex { get; private init; }

    /// <summary>Whether the node runs code (a task, a map, a subflow) rather than being a point of the body.</summary>
    public bool RunsCode => Kind is FlowNodeKind.Task or FlowNodeKind.Map or FlowNodeKind.Subflow;

    /// <summary>The array behind <see cref="InputSlots"/>, for the runtime's own loops; never handed out.</summary>
    internal int[] Inputs { get; }

    internal int[] OrderNodes { get; private init; } = Array.Empty<int>();

    internal FlowEdgeKind[] OrderKinds { get; private init; } = Array.Empty<FlowEdgeKind>();

    internal string[] CatchTypes { get; private init; } = Array.Empty<string>();

    internal int[] MergeBranches { get; private init; } = Array.Empty<int>();
}
