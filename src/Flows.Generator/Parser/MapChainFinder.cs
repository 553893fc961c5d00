using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Model;

namespace Flows.Generator.Parser;

/// <summary>
/// Finds the maps that read another map's elements one by one (<c>Flow.Map(B, Flow.Map(A, xs))</c>, or
/// <c>var a = Flow.Map(A, xs); var b = Flow.Map(B, a);</c>) while nothing else reads that map whole, so
/// that the runtime may run them depth-first. Works on the finished, symbol-free model; the runtime
/// checks the same rules (<c>MapChains</c>) when it builds the graph.
/// </summary>
/// <remarks>
/// Map B is chained after map A when: B's collection is A's result; no other input of any node (B's own
/// whole arguments included), the flow's result or a branch's condition is A's result; A and B are in the
/// same branch and try scope; B's edges all need Completed; and everything else B waits for is upstream
/// of A (a side effect written between them, which B waits for and A does not, keeps them breadth-first,
/// as the eager body runs all of A, then the side effect, then B).
/// </remarks>
internal static class MapChainFinder
{
    public static EquatableArray<NodeModel> Mark(EquatableArray<NodeModel> nodes, EquatableArray<BranchModel> branches, int outputSlot, int firstNodeSlot)
    {
        var list = nodes.ToList();
        var upstream = list.Select((node, i) => UpstreamOf(node, branches, firstNodeSlot)).ToList();
        var changed = false;
        for (var b = 0; b < list.Count; b++)
        {
            var node = list[b];
            if (node.Kind != NodeKind.Map || node.InputSlots.Count == 0)
            {
                continue;
            }

            var slot = node.InputSlots[0];
            var a = slot - firstNodeSlot;
            if (a < 0 || a >= b || list[a].Kind != NodeKind.Map)
            {
                continue;
            }

            var readElsewhere = slot == outputSlot
                || branches.Any(branch => branch.ConditionSlot == slot)
                || list.Select((other, i) => other.InputSlots.Skip(i == b ? 1 : 0).Contains(slot)).Any(read => read);
            if (readElsewhere
                || node.Branch != list[a].Branch
                || node.CatchScope != list[a].CatchScope
                || node.After.Any(e => e.Kind != EdgeKind.Completed))
            {
                continue;
            }

            var ancestors = AncestorsOf(a, upstream);
            if (upstream[b].All(u => u == a || ancestors.Contains(u)))
            {
                list[b] = node with { ChainedFrom = a };
                changed = true;
            }
        }

        return changed ? list.ToEquatableArray() : nodes;
    }

    /// <summary>The nodes a node waits for, as the runtime's graph computes them: inputs, order edges and its branch's conditions.</summary>
    private static HashSet<int> UpstreamOf(NodeModel node, EquatableArray<BranchModel> branches, int firstNodeSlot)
    {
        var upstream = new HashSet<int>();
        foreach (var slot in node.InputSlots)
        {
            if (slot >= firstNodeSlot)
            {
                upstream.Add(slot - firstNodeSlot);
            }
        }

        foreach (var edge in node.After)
        {
            upstream.Add(edge.Node);
        }

        void AddBranchChain(int branch)
        {
            for (var b = branch; b >= 0 && b < branches.Count; b = branches[b].Parent)
            {
                if (branches[b].ConditionSlot >= firstNodeSlot)
                {
                    upstream.Add(branches[b].ConditionSlot - firstNodeSlot);
                }
            }
        }

        AddBranchChain(node.Branch);
        foreach (var branch in node.MergeBranches)
        {
            AddBranchChain(branch);
        }

        return upstream;
    }

    private static HashSet<int> AncestorsOf(int node, List<HashSet<int>> upstream)
    {
        var found = new HashSet<int>();
        var pending = new Stack<int>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            foreach (var u in upstream[pending.Pop()])
            {
                if (found.Add(u))
                {
                    pending.Push(u);
                }
            }
        }

        return found;
    }
}
