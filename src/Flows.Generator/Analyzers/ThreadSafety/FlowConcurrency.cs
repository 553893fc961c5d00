using System.Collections;
using System.Linq;
using Flows.Generator.Model;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Which nodes of a flow's graph can run at the same time: two nodes can exactly when there is
/// no path between them (data, statement order, or a branch's condition) and they are not in two
/// arms of one branch that exclude each other. Computed on the parser's model, whose nodes are in
/// topological order.
/// </summary>
internal sealed class FlowConcurrency
{
    private readonly FlowModel _model;
    private readonly BitArray[] _ancestors;

    public FlowConcurrency(FlowModel model)
    {
        _model = model;
        var firstNodeSlot = model.Parameters.Count + model.Constants.Count;
        _ancestors = new BitArray[model.Nodes.Count];
        for (var node = 0; node < model.Nodes.Count; node++)
        {
            var ancestors = new BitArray(model.Nodes.Count);
            void Add(int producer)
            {
                if (producer >= 0 && producer < node)
                {
                    ancestors.Set(producer, true);
                    ancestors.Or(_ancestors[producer]);
                }
            }

            var current = model.Nodes[node];
            foreach (var slot in current.InputSlots)
            {
                Add(slot - firstNodeSlot);
            }

            foreach (var edge in current.After)
            {
                Add(edge.Node);
            }

            for (var branch = current.Branch; branch >= 0; branch = model.Branches[branch].Parent)
            {
                Add(model.Branches[branch].ConditionSlot - firstNodeSlot);
            }

            _ancestors[node] = ancestors;
        }
    }

    /// <summary>Whether nodes <paramref name="a"/> and <paramref name="b"/> can run at the same time.</summary>
    public bool CanOverlap(int a, int b) => a != b && !Ordered(a, b) && !Exclusive(a, b);

    /// <summary>Whether one of the two nodes waits, directly or not, for the other.</summary>
    public bool Ordered(int a, int b) => _ancestors[a][b] || _ancestors[b][a];

    /// <summary>Whether at most one of the two nodes can run in a run: they are in arms of one branch point that exclude each other.</summary>
    public bool Exclusive(int a, int b)
    {
        for (var x = _model.Nodes[a].Branch; x >= 0; x = _model.Branches[x].Parent)
        {
            for (var y = _model.Nodes[b].Branch; y >= 0; y = _model.Branches[y].Parent)
            {
                if (x != y && Excludes(_model.Branches[x], _model.Branches[y]))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Excludes(BranchModel x, BranchModel y)
    {
        if (x.Parent != y.Parent || x.ConditionSlot != y.ConditionSlot)
        {
            return false;
        }

        return (x.Test, y.Test) switch
        {
            (BranchTest.Equals, BranchTest.Equals) => !x.Values.Intersect(y.Values).Any(),
            (BranchTest.Equals, BranchTest.EqualsNone) => x.Values.All(v => y.Values.Contains(v)),
            (BranchTest.EqualsNone, BranchTest.Equals) => y.Values.All(v => x.Values.Contains(v)),
            (BranchTest.Caught, BranchTest.Caught) => x.Clause != y.Clause,
            (BranchTest.Caught, BranchTest.NothingCaught) or (BranchTest.NothingCaught, BranchTest.Caught) => true,
            _ => false,
        };
    }
}
