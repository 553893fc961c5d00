using System.Globalization;
using Flows.Graph;

namespace Flows.Pictures;

/// <summary>
/// Turns a <see cref="FlowGraph"/> into the <see cref="GraphPicture"/> every writer draws: subflows
/// opened into clusters (recursively), the nodes that run no code folded away (an edge through a
/// merge, join, item or try end becomes an edge from what it stood for), order and condition edges
/// that another path already implies dropped, and a cluster per branch, try, catch and finally block.
/// </summary>
internal sealed class GraphPictureBuilder
{
    /// <summary>Above this many nodes, implied edges are kept rather than searched for.</summary>
    private const int ReductionLimit = 2_000;

    private readonly List<PictureNode> _nodes = new();
    private readonly Dictionary<(int From, int To), PictureEdgeStyle> _edges = new();
    private readonly List<PictureCluster> _clusters = new();

    private GraphPictureBuilder()
    {
    }

    public static GraphPicture Build(FlowGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var builder = new GraphPictureBuilder();
        var noValues = graph.ParameterNames.Select(_ => Array.Empty<int>()).ToArray();
        builder.Add(graph, string.Empty, string.Empty, -1, noValues, Array.Empty<int>(), Array.Empty<int>());
        return new GraphPicture(graph.Name, builder._nodes, builder.ReducedEdges(), builder._clusters);
    }

    /// <summary>Adds the nodes of <paramref name="graph"/>; returns the picture nodes its result comes from and those it ends with.</summary>
    /// <param name="graph">The flow or subflow.</param>
    /// <param name="path">The id path of the graph (<c>""</c>, or <c>"3_"</c> inside the subflow at node 3).</param>
    /// <param name="runPrefix">The prefix of its task names in <c>run.Tasks</c>.</param>
    /// <param name="container">The cluster around it, or -1.</param>
    /// <param name="parameters">Per parameter: the picture nodes its value comes from.</param>
    /// <param name="entryOrder">What its first nodes wait for (a subflow's own order edges).</param>
    /// <param name="entryCondition">What decides whether its first nodes run (a subflow's branch).</param>
    private (int[] Output, int[] Done) Add(FlowGraph graph, string path, string runPrefix, int container, int[][] parameters, int[] entryOrder, int[] entryCondition)
    {
        var count = graph.Nodes.Count;
        var value = new int[count][];
        var done = new int[count][];
        var clusterOf = AddClusters(graph, path, container);

        int[] ValueOf(int slot) =>
            slot < graph.ParameterNames.Count ? parameters[slot]
            : slot < graph.FirstNodeSlot ? Array.Empty<int>()
            : value[slot - graph.FirstNodeSlot];

        int[] DoneOfUpstream(int i) => Union(graph.UpstreamOf(i).Select(u => done[u]));

        int[] OrderOf(int i) => Union(graph.Nodes[i].OrderNodes.Select(u => done[u]));

        int[] ConditionOf(int i)
        {
            var branch = NearestShownBranch(graph, graph.Nodes[i].Branch);
            return branch < 0 ? Array.Empty<int>() : ValueOf(graph.Branches[branch].ConditionSlot);
        }

        for (var i = 0; i < count; i++)
        {
            var node = graph.Nodes[i];
            var isEntry = graph.UpstreamOf(i).Length == 0;
            switch (node.Kind)
            {
                case FlowNodeKind.Task or FlowNodeKind.Map:
                    var index = _nodes.Count;
                    _nodes.Add(new PictureNode(
                        "n" + path + i.ToString(CultureInfo.InvariantCulture),
                        runPrefix + node.Name,
                        node.Name,
                        TaskNameIfDifferent(node),
                        node.Kind == FlowNodeKind.Task ? PictureShape.Task : node.KeepsElementFailures ? PictureShape.TryMap : PictureShape.Map,
                        clusterOf[i]));
                    foreach (var slot in node.Inputs)
                    {
                        AddEdges(ValueOf(slot), index, PictureEdgeStyle.Data);
                    }

                    AddEdges(OrderOf(i), index, PictureEdgeStyle.Order);
                    AddEdges(ConditionOf(i), index, PictureEdgeStyle.Condition);
                    if (isEntry)
                    {
                        AddEdges(entryOrder, index, PictureEdgeStyle.Order);
                        AddEdges(entryCondition, index, PictureEdgeStyle.Condition);
                    }

                    value[i] = done[i] = new[] { index };
                    break;
                case FlowNodeKind.Subflow:
                    var cluster = _clusters.Count;
                    var child = node.Subflow!;
                    var label = child.Name == node.Name || child.Name.EndsWith("." + node.Name, StringComparison.Ordinal) ? "subflow " + node.Name : $"subflow {node.Name} ({child.Name})";
                    _clusters.Add(new PictureCluster("c" + path + "s" + i.ToString(CultureInfo.InvariantCulture), label, PictureClusterKind.Subflow, clusterOf[i]));
                    var order = isEntry ? Union(new[] { OrderOf(i), entryOrder }) : OrderOf(i);
                    var condition = isEntry ? Union(new[] { ConditionOf(i), entryCondition }) : ConditionOf(i);
                    (value[i], done[i]) = Add(
                        child,
                        path + i.ToString(CultureInfo.InvariantCulture) + "_",
                        runPrefix + node.Name + "/",
                        cluster,
                        node.Inputs.Select(ValueOf).ToArray(),
                        order,
                        condition);
                    break;
                case FlowNodeKind.Merge:
                    value[i] = Union(node.Inputs.Select(ValueOf));
                    done[i] = DoneOfUpstream(i);
                    break;
                case FlowNodeKind.Item:
                    value[i] = ValueOf(node.Inputs[0]);
                    done[i] = DoneOfUpstream(i);
                    break;
                default:
                    // A join or a try's end: what it waits for is what it stands for.
                    value[i] = done[i] = DoneOfUpstream(i);
                    break;
            }
        }

        var output = graph.OutputSlot < 0 ? Array.Empty<int>() : ValueOf(graph.OutputSlot);
        var ends = Union(Enumerable.Range(0, count).Where(i => graph.DependentsOf(i).Length == 0).Select(i => done[i]));
        return (output, ends);
    }

    private static string? TaskNameIfDifferent(FlowNode node)
    {
        var task = node.Task!.Name;
        return node.Name == task || node.Name.StartsWith(task + "#", StringComparison.Ordinal) ? null : task;
    }

    /// <summary>
    /// A branch that only says "the body went on" (after an arm returned, or after a try whose catch
    /// returned) draws no box: it holds the rest of the body, not a block the user wrote.
    /// </summary>
    private static bool IsShown(FlowGraph graph, int branch)
    {
        var b = graph.Branches[branch];
        if (b.Test == FlowBranchTest.NothingCaught)
        {
            return false;
        }

        var node = graph.NodeOfSlot(b.ConditionSlot);
        return node < 0 || graph.Nodes[node] is not { Kind: FlowNodeKind.Merge } merge || !merge.Name.StartsWith("<goes on>", StringComparison.Ordinal);
    }

    private static int NearestShownBranch(FlowGraph graph, int branch)
    {
        while (branch >= 0 && !IsShown(graph, branch))
        {
            branch = graph.Branches[branch].Parent;
        }

        return branch;
    }

    /// <summary>
    /// Adds the clusters of one graph (its subflows excepted), outermost first, and returns the
    /// innermost cluster of each node (<paramref name="container"/> when none).
    /// </summary>
    private int[] AddClusters(FlowGraph graph, string path, int container)
    {
        var count = graph.Nodes.Count;
        var candidates = new List<(string Id, string Label, PictureClusterKind Kind, HashSet<int> Members, int Depth, int Tie)>();
        var code = Enumerable.Range(0, count).Where(i => graph.Nodes[i].RunsCode).ToArray();

        int DepthOf(int branch)
        {
            var depth = 0;
            for (; branch >= 0; branch = graph.Branches[branch].Parent)
            {
                depth++;
            }

            return depth;
        }

        bool InBranch(int node, int branch)
        {
            for (var b = graph.Nodes[node].Branch; b >= 0; b = graph.Branches[b].Parent)
            {
                if (b == branch)
                {
                    return true;
                }
            }

            return false;
        }

        var id = "c" + path;
        for (var b = 0; b < graph.Branches.Count; b++)
        {
            if (!IsShown(graph, b))
            {
                continue;
            }

            var members = code.Where(i => InBranch(i, b)).ToHashSet();
            var kind = graph.Branches[b].Test == FlowBranchTest.Caught ? PictureClusterKind.Catch : PictureClusterKind.Branch;
            candidates.Add((id + "b" + b.ToString(CultureInfo.InvariantCulture), BranchLabels.Of(graph, b), kind, members, 2 * DepthOf(b), 0));
        }

        for (var t = 0; t < count; t++)
        {
            var tryEnd = graph.Nodes[t];
            if (tryEnd.Kind != FlowNodeKind.TryEnd)
            {
                continue;
            }

            // Nodes inside a try or finally block sit in the branch around the statement, so the
            // block is inside that branch's box and around any branch it holds; a try inside
            // another ends later, so of two blocks with the same nodes the later end is outside.
            var depth = 2 * DepthOf(tryEnd.Branch) + 1;
            var upstream = graph.UpstreamOf(t);
            var kinds = graph.UpstreamKindsOf(t);
            var block = upstream.Where((u, k) => kinds[k] == FlowEdgeKind.Settled && graph.Nodes[u].RunsCode).ToHashSet();
            var tag = t.ToString(CultureInfo.InvariantCulture);
            candidates.Add((id + "t" + tag, "try", PictureClusterKind.Try, block, depth, -t));

            var entry = Enumerable.Range(t + 1, count - t - 1).FirstOrDefault(j => IsJoinAfter(graph.Nodes[j], t, FlowEdgeKind.Ran), -1);
            if (entry >= 0)
            {
                var end = Enumerable.Range(entry + 1, count - entry - 1).FirstOrDefault(j => IsJoinAfter(graph.Nodes[j], t, FlowEdgeKind.Completed), count);
                var finallyBlock = code.Where(i => i > entry && i < end).ToHashSet();
                candidates.Add((id + "f" + tag, "finally", PictureClusterKind.Finally, finallyBlock, depth, -t));
            }
        }

        var sorted = candidates
            .Where(c => c.Members.Count > 0)
            .OrderByDescending(c => c.Members.Count)
            .ThenBy(c => c.Depth)
            .ThenBy(c => c.Tie)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var indexes = new int[sorted.Count];
        for (var k = 0; k < sorted.Count; k++)
        {
            var parent = container;
            for (var j = k - 1; j >= 0; j--)
            {
                if (sorted[k].Members.IsSubsetOf(sorted[j].Members))
                {
                    parent = indexes[j];
                    break;
                }
            }

            indexes[k] = _clusters.Count;
            _clusters.Add(new PictureCluster(sorted[k].Id, sorted[k].Label, sorted[k].Kind, parent));
        }

        var clusterOf = new int[count];
        for (var i = 0; i < count; i++)
        {
            clusterOf[i] = container;
            for (var k = sorted.Count - 1; k >= 0; k--)
            {
                if (sorted[k].Members.Contains(i))
                {
                    clusterOf[i] = indexes[k];
                    break;
                }
            }
        }

        return clusterOf;
    }

    private static bool IsJoinAfter(FlowNode node, int tryEnd, FlowEdgeKind kind)
    {
        if (node.Kind != FlowNodeKind.Join)
        {
            return false;
        }

        for (var e = 0; e < node.OrderNodes.Length; e++)
        {
            if (node.OrderNodes[e] == tryEnd && node.OrderKinds[e] == kind)
            {
                return true;
            }
        }

        return false;
    }

    private void AddEdges(int[] sources, int target, PictureEdgeStyle style)
    {
        foreach (var source in sources)
        {
            if (source == target)
            {
                continue;
            }

            // A data edge says the most; a condition more than plain order.
            if (!_edges.TryGetValue((source, target), out var had) || Strength(style) > Strength(had))
            {
                _edges[(source, target)] = style;
            }
        }
    }

    private static int Strength(PictureEdgeStyle style) => style switch
    {
        PictureEdgeStyle.Data => 2,
        PictureEdgeStyle.Condition => 1,
        _ => 0,
    };

    /// <summary>The edges, sorted, without the order and condition edges another path already implies.</summary>
    private List<PictureEdge> ReducedEdges()
    {
        var edges = _edges.Select(e => new PictureEdge(e.Key.From, e.Key.To, e.Value))
            .OrderBy(e => e.To)
            .ThenBy(e => e.From)
            .ToList();
        if (_nodes.Count > ReductionLimit)
        {
            return edges;
        }

        var outgoing = new List<int>[_nodes.Count];
        for (var i = 0; i < outgoing.Length; i++)
        {
            outgoing[i] = new List<int>();
        }

        foreach (var edge in edges)
        {
            outgoing[edge.From].Add(edge.To);
        }

        bool ImpliedElsewhere(PictureEdge edge)
        {
            var seen = new HashSet<int>();
            var stack = new Stack<int>();
            foreach (var next in outgoing[edge.From])
            {
                if (next != edge.To && next < edge.To)
                {
                    stack.Push(next);
                }
            }

            while (stack.Count > 0)
            {
                var at = stack.Pop();
                if (at == edge.To)
                {
                    return true;
                }

                if (!seen.Add(at))
                {
                    continue;
                }

                foreach (var next in outgoing[at])
                {
                    if (next <= edge.To)
                    {
                        stack.Push(next);
                    }
                }
            }

            return false;
        }

        return edges.Where(e => e.Style == PictureEdgeStyle.Data || !ImpliedElsewhere(e)).ToList();
    }

    private static int[] Union(IEnumerable<int[]> sets)
    {
        var all = new SortedSet<int>();
        foreach (var set in sets)
        {
            all.UnionWith(set);
        }

        return all.ToArray();
    }
}
