using System.Collections.ObjectModel;
using System.ComponentModel;
using Flows.Pictures;

namespace Flows.Graph;

/// <summary>
/// The static graph of one flow: nodes in topological order, their edges and dependency counts.
/// The source generator emits one per <c>[Flow]</c>; it never changes while runs use it.
/// </summary>
/// <remarks>
/// Values live in numbered slots: the flow's parameters (0 .. P-1), then the constants
/// (P .. P+C-1), then one slot per node (node i writes slot P+C+i).
/// </remarks>
public sealed class FlowGraph
{
    private readonly int[][] _dependents;
    private readonly int[][] _upstream;
    private readonly FlowEdgeKind[][] _upstreamKinds;
    private readonly bool[] _tolerant;
    private readonly int[] _dependencyCounts;
    private readonly int[] _roots;
    private ResultUse[]? _resultUses;
    private GraphPicture? _picture;

    /// <summary>Builds a graph and computes its edges.</summary>
    /// <param name="name">The flow's name in reports.</param>
    /// <param name="parameterNames">The flow's parameters that are graph inputs (not the cancellation token).</param>
    /// <param name="constants">Values the flow body writes literally.</param>
    /// <param name="nodes">Nodes in topological order: a node reads only parameters, constants and earlier nodes.</param>
    /// <param name="outputSlot">The slot whose value is the flow's result, or -1 when the flow returns nothing.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowGraph(string name, IReadOnlyList<string> parameterNames, IReadOnlyList<object?> constants, IReadOnlyList<FlowNode> nodes, int outputSlot)
        : this(name, parameterNames, constants, nodes, outputSlot, Array.Empty<FlowBranch>())
    {
    }

    /// <summary>Builds a graph whose body has branches (<c>if</c>, <c>switch</c>, <c>catch</c>) and computes its edges.</summary>
    /// <param name="name">The flow's name in reports.</param>
    /// <param name="parameterNames">The flow's parameters that are graph inputs (not the cancellation token).</param>
    /// <param name="constants">Values the flow body writes literally.</param>
    /// <param name="nodes">Nodes in topological order: a node reads and waits only for parameters, constants and earlier nodes.</param>
    /// <param name="outputSlot">The slot whose value is the flow's result, or -1 when the flow returns nothing.</param>
    /// <param name="branches">The body's branches; a branch's parent comes before it.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowGraph(string name, IReadOnlyList<string> parameterNames, IReadOnlyList<object?> constants, IReadOnlyList<FlowNode> nodes, int outputSlot, IReadOnlyList<FlowBranch> branches)
    {
        ArgumentNullException.ThrowIfNull(branches);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameterNames);
        ArgumentNullException.ThrowIfNull(constants);
        ArgumentNullException.ThrowIfNull(nodes);

        Name = name;
        ParameterNames = new ReadOnlyCollection<string>(parameterNames.ToArray());
        Constants = constants.ToArray();
        Nodes = new ReadOnlyCollection<FlowNode>(nodes.ToArray());
        FirstNodeSlot = ParameterNames.Count + Constants.Length;
        SlotCount = FirstNodeSlot + Nodes.Count;
        if (outputSlot < -1 || outputSlot >= SlotCount)
        {
            throw new FlowDefinitionException($"Flow '{name}': output slot {outputSlot} is outside the {SlotCount} slots of the graph.");
        }

        OutputSlot = outputSlot;
        Branches = new ReadOnlyCollection<FlowBranch>(branches.ToArray());
        CheckBranches();
        (_dependents, _upstream, _upstreamKinds, _dependencyCounts, _roots) = ComputeEdges();
        _tolerant = _upstreamKinds.Select(kinds => kinds.Any(k => k != FlowEdgeKind.Completed)).ToArray();
        Plain = Nodes.Select((node, i) => node.RunsCode && node.Branch < 0 && !_tolerant[i]).ToArray();
        SinkCount = _dependents.Count(d => d.Length == 0);
        ChainNext = MapChains.Check(this);
    }

    /// <summary>
    /// Per node: the Map node that reads this Map node's elements one by one (<see cref="FlowNode.ChainedFrom"/>
    /// pointing back here), or -1. Checked when the graph is built.
    /// </summary>
    internal int[] ChainNext { get; }

    /// <summary>The flow's name in reports.</summary>
    public string Name { get; }

    /// <summary>The flow's graph inputs, in order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Constant values, in slot order after the parameters.</summary>
    internal object?[] Constants { get; }

    /// <summary>The nodes, in topological order.</summary>
    public IReadOnlyList<FlowNode> Nodes { get; }

    /// <summary>
    /// A hash of the graph's shape (nodes, edges, branches, parameters, constants) computed at compile
    /// time; a store refuses to resume a run under a graph whose hash differs from the one it started
    /// with. Null for a hand-built graph (it can then be resumed only by graphs with no hash either).
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? Hash { get; init; }

    /// <summary>
    /// Writes and reads the flow's arguments, so that a store can keep them for a resume; null when a
    /// parameter's type has no generated serializer (such a flow cannot run with a store).
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public IFlowArgumentsCodec? ArgumentsCodec { get; init; }

    /// <summary>The slot of the first node's result.</summary>
    public int FirstNodeSlot { get; }

    /// <summary>Parameters + constants + nodes.</summary>
    public int SlotCount { get; }

    /// <summary>The slot that holds the flow's result; -1 when the flow returns nothing.</summary>
    public int OutputSlot { get; }

    /// <summary>The body's branches, referenced by <see cref="FlowNode.Branch"/>.</summary>
    public IReadOnlyList<FlowBranch> Branches { get; }

    /// <summary>The nodes that read or wait for node <paramref name="node"/>, each once.</summary>
    public ReadOnlySpan<int> DependentsOf(int node) => _dependents[node];

    /// <summary>How many distinct nodes node <paramref name="node"/> waits for.</summary>
    public int DependencyCountOf(int node) => _dependencyCounts[node];

    internal int[] DependencyCounts => _dependencyCounts;

    /// <summary>The nodes node <paramref name="node"/> waits for, each once, in index order.</summary>
    internal int[] UpstreamOf(int node) => _upstream[node];

    /// <summary>What node <paramref name="node"/> needs of each of <see cref="UpstreamOf"/>, index for index.</summary>
    internal FlowEdgeKind[] UpstreamKindsOf(int node) => _upstreamKinds[node];

    /// <summary>
    /// Whether node <paramref name="node"/> accepts an upstream node that did not complete normally
    /// (its edges are not all <see cref="FlowEdgeKind.Completed"/>), so that its readiness is decided
    /// from its upstream states rather than from the first failure that reached it.
    /// </summary>
    internal bool IsTolerant(int node) => _tolerant[node];

    /// <summary>
    /// Per node: it runs code, is in no branch and needs only Completed edges, so that it runs exactly
    /// when nothing upstream failed (the scheduler's fast path, and all there is in a graph without
    /// control flow).
    /// </summary>
    internal bool[] Plain { get; }

    /// <summary>
    /// How many nodes no other node reads. A run is over when its sinks are: a node finishes only
    /// after every node it reads, so every other node has finished by then.
    /// </summary>
    public int SinkCount { get; }

    /// <summary>
    /// The graph as a Mermaid <c>flowchart TD</c>: tasks, maps, subflows (as subgraphs), branches,
    /// try, catch and finally blocks; order edges dashed. The same graph gives the same text.
    /// </summary>
    public string ToMermaid() => MermaidWriter.Write(Picture, null);

    /// <summary>The graph as a Graphviz <c>digraph</c> (for <c>dot -Tsvg</c>), drawn as <see cref="ToMermaid"/> draws it.</summary>
    public string ToDot() => DotWriter.Write(Picture, null);

    /// <summary>What the pictures draw (built on first use).</summary>
    internal GraphPicture Picture => _picture ??= GraphPictureBuilder.Build(this);

    /// <summary>The nodes that wait for no other node.</summary>
    public ReadOnlySpan<int> Roots => _roots;

    /// <summary>Who reads node <paramref name="node"/>'s result (computed on first use).</summary>
    internal ResultUse ResultUseOf(int node) => (_resultUses ??= ResultUse.Compute(this))[node];

    /// <summary>The node whose result lives in <paramref name="slot"/>, or -1 for a parameter or constant.</summary>
    public int NodeOfSlot(int slot) => slot >= FirstNodeSlot ? slot - FirstNodeSlot : -1;

    private void CheckBranches()
    {
        for (var b = 0; b < Branches.Count; b++)
        {
            var branch = Branches[b];
            if (branch.Parent >= b)
            {
                throw new FlowDefinitionException($"Flow '{Name}': branch {b} names branch {branch.Parent} as its parent, which is not before it.");
            }

            if (branch.ConditionSlot < 0 || branch.ConditionSlot >= SlotCount)
            {
                throw new FlowDefinitionException($"Flow '{Name}': branch {b} tests slot {branch.ConditionSlot}, outside the {SlotCount} slots of the graph.");
            }

            if (branch.Test is FlowBranchTest.Caught or FlowBranchTest.NothingCaught &&
                (NodeOfSlot(branch.ConditionSlot) < 0 || Nodes[NodeOfSlot(branch.ConditionSlot)].Kind != FlowNodeKind.TryEnd))
            {
                throw new FlowDefinitionException($"Flow '{Name}': branch {b} is a catch branch, but slot {branch.ConditionSlot} is not a try's end.");
            }
        }
    }

    private void CheckBranchIndex(FlowNode node, int branch)
    {
        if (branch < -1 || branch >= Branches.Count)
        {
            throw new FlowDefinitionException($"Flow '{Name}', node '{node.Name}': branch {branch} is not one of the graph's {Branches.Count} branches.");
        }
    }

    private (int[][] Dependents, int[][] Upstream, FlowEdgeKind[][] Kinds, int[] Counts, int[] Roots) ComputeEdges()
    {
        var n = Nodes.Count;
        var counts = new int[n];
        var fanOut = new int[n];
        var upstream = new int[n][];
        var upstreamKinds = new FlowEdgeKind[n][];
        var edges = new SortedDictionary<int, FlowEdgeKind>();
        for (var i = 0; i < n; i++)
        {
            var node = Nodes[i];
            edges.Clear();

            // Adds an edge; an upstream reached twice keeps the stricter need.
            void Add(int source, FlowEdgeKind kind, string what)
            {
                if (source >= i)
                {
                    throw new FlowDefinitionException(
                        $"Flow '{Name}', node '{node.Name}': it {what} node {source}, which is not before it; nodes must be in topological order.");
                }

                if (source >= 0)
                {
                    edges[source] = edges.TryGetValue(source, out var had) && had < kind ? had : kind;
                }
            }

            void AddBranchChain(int branch, FlowEdgeKind kind)
            {
                CheckBranchIndex(node, branch);
                for (var b = branch; b >= 0; b = Branches[b].Parent)
                {
                    Add(NodeOfSlot(Branches[b].ConditionSlot), kind, "tests");
                }
            }

            var inputKind = node.Kind == FlowNodeKind.Merge ? FlowEdgeKind.Settled : FlowEdgeKind.Completed;
            foreach (var slot in node.Inputs)
            {
                if (slot < 0 || slot >= SlotCount)
                {
                    throw new FlowDefinitionException($"Flow '{Name}', node '{node.Name}': input slot {slot} is outside the {SlotCount} slots of the graph.");
                }

                Add(NodeOfSlot(slot), inputKind, "reads");
            }

            for (var e = 0; e < node.OrderNodes.Length; e++)
            {
                if (node.OrderNodes[e] < 0)
                {
                    throw new FlowDefinitionException($"Flow '{Name}', node '{node.Name}': it waits for node {node.OrderNodes[e]}, which does not exist.");
                }

                Add(node.OrderNodes[e], node.OrderKinds[e], "waits for");
            }

            AddBranchChain(node.Branch, FlowEdgeKind.Completed);
            foreach (var branch in node.MergeBranches)
            {
                AddBranchChain(branch, FlowEdgeKind.Settled);
            }

            if (node.CatchScope >= 0 && (node.CatchScope <= i || node.CatchScope >= n || Nodes[node.CatchScope].Kind != FlowNodeKind.TryEnd))
            {
                throw new FlowDefinitionException($"Flow '{Name}', node '{node.Name}': its catch scope {node.CatchScope} is not a later try's end.");
            }

            upstream[i] = edges.Keys.ToArray();
            upstreamKinds[i] = edges.Values.ToArray();
            counts[i] = upstream[i].Length;
            foreach (var source in upstream[i])
            {
                fanOut[source]++;
            }
        }

        var dependents = new int[n][];
        for (var i = 0; i < n; i++)
        {
            dependents[i] = fanOut[i] == 0 ? Array.Empty<int>() : new int[fanOut[i]];
            fanOut[i] = 0;
        }

        for (var i = 0; i < n; i++)
        {
            foreach (var source in upstream[i])
            {
                dependents[source][fanOut[source]++] = i;
            }
        }

        var roots = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (counts[i] == 0)
            {
                roots.Add(i);
            }
        }

        return (dependents, upstream, upstreamKinds, counts, roots.ToArray());
    }
}
