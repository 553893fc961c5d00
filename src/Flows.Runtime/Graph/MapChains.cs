namespace Flows.Graph;

/// <summary>
/// Checks the graph's chained maps (<see cref="FlowNode.ChainedFrom"/>): what the generator claims must
/// hold, or the graph is refused, because the scheduler runs a chain depth-first and drops each
/// intermediate element as soon as the next stage has read it.
/// </summary>
/// <remarks>
/// Map B may read the elements of map A one by one when: B maps A's result (its collection is A's slot);
/// nothing else reads A's result (no other input, not the flow's output, not a branch's condition);
/// both are in the same branch and the same try scope; B's edges all need Completed; and everything else B
/// waits for is also upstream of A, so that B is ready the moment A starts. Then element i of B can run
/// as soon as element i of A succeeded, with the value the eager body would pass it.
/// </remarks>
internal static class MapChains
{
    /// <summary>Checks every chained node; returns, per node, the node chained after it, or -1.</summary>
    public static int[] Check(FlowGraph graph)
    {
        var nodes = graph.Nodes;
        var next = new int[nodes.Count];
        Array.Fill(next, -1);
        for (var b = 0; b < nodes.Count; b++)
        {
            var node = nodes[b];
            var a = node.ChainedFrom;
            if (a < 0)
            {
                continue;
            }

            string? Problem()
            {
                if (node.Kind != FlowNodeKind.Map)
                {
                    return "it is not a Map node";
                }

                if (a >= b || nodes[a].Kind != FlowNodeKind.Map)
                {
                    return $"node {a} is not a Map node before it";
                }

                var slot = graph.FirstNodeSlot + a;
                if (node.Inputs[0] != slot)
                {
                    return $"its collection is not the result of '{nodes[a].Name}'";
                }

                if (graph.OutputSlot == slot)
                {
                    return $"the result of '{nodes[a].Name}' is also the flow's output";
                }

                if (graph.Branches.Any(branch => branch.ConditionSlot == slot))
                {
                    return $"the result of '{nodes[a].Name}' is also a branch's condition";
                }

                for (var other = 0; other < nodes.Count; other++)
                {
                    var inputs = nodes[other].Inputs;
                    for (var position = other == b ? 1 : 0; position < inputs.Length; position++)
                    {
                        if (inputs[position] == slot)
                        {
                            return $"node '{nodes[other].Name}' also reads the result of '{nodes[a].Name}' whole";
                        }
                    }
                }

                if (node.Branch != nodes[a].Branch || node.CatchScope != nodes[a].CatchScope)
                {
                    return $"it is not in the same branch and try block as '{nodes[a].Name}'";
                }

                if (graph.IsTolerant(b))
                {
                    return "it waits for a node that may fail (a finally or a try's end)";
                }

                var ancestors = AncestorsOf(graph, a);
                foreach (var upstream in graph.UpstreamOf(b))
                {
                    if (upstream != a && !ancestors.Contains(upstream))
                    {
                        return $"it also waits for '{nodes[upstream].Name}', which '{nodes[a].Name}' does not wait for";
                    }
                }

                return null;
            }

            if (Problem() is { } problem)
            {
                throw new FlowDefinitionException(
                    $"Flow '{graph.Name}', node '{node.Name}': the graph says it reads the elements of node {a} one by one, but {problem}. " +
                    "Only a map whose collection is another map's result, read by nothing else, is chained; regenerate the flow.");
            }

            next[a] = b;
        }

        return next;
    }

    private static HashSet<int> AncestorsOf(FlowGraph graph, int node)
    {
        var found = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(node);
        while (pending.TryPop(out var current))
        {
            foreach (var upstream in graph.UpstreamOf(current))
            {
                if (found.Add(upstream))
                {
                    pending.Push(upstream);
                }
            }
        }

        return found;
    }
}
