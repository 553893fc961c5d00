using System.Runtime.CompilerServices;
using Flows.Graph;

namespace Flows;

/// <summary>
/// How the scheduler decides a node whose upstream nodes have all finished: whether its edges
/// allow it to run, whether its branch holds, and what a node that runs no code (a join, a merge,
/// a tuple item, a try's end) ends with. Everything here reads finished nodes only, so it needs no lock.
/// </summary>
internal sealed partial class FlowRunState
{
    /// <summary>
    /// Decides <paramref name="node"/> without running code, or returns false when it must run
    /// (a task, a map or a subflow whose edges allow it and whose branch holds).
    /// </summary>
    private bool Decide(NodeRun node, out Verdict verdict)
    {
        var cancelled = IsCancelled;
        var allowed = Graph.IsTolerant(node.Index) ? UpstreamAllows(node) : !node.UpstreamFailed;
        if (!allowed || cancelled)
        {
            verdict = cancelled ? Verdict.Cancelled : Verdict.Skipped(SkipReason.Upstream);
            return true;
        }

        var flowNode = node.Node;
        if (flowNode.Branch >= 0 && !BranchHolds(flowNode.Branch))
        {
            verdict = Verdict.Skipped(SkipReason.BranchNotTaken);
            return true;
        }

        switch (flowNode.Kind)
        {
            case FlowNodeKind.Join:
                verdict = Verdict.Succeeded(null);
                return true;
            case FlowNodeKind.Item:
                verdict = Item(flowNode);
                return true;
            case FlowNodeKind.Merge:
                verdict = Merge(flowNode);
                return true;
            case FlowNodeKind.TryEnd:
                verdict = TryEnd(node);
                return true;
            default:
                verdict = default;
                return false;
        }
    }

    /// <summary>Whether every upstream node of a tolerant node ended as its edge needs.</summary>
    private bool UpstreamAllows(NodeRun node)
    {
        var upstream = Graph.UpstreamOf(node.Index);
        var kinds = Graph.UpstreamKindsOf(node.Index);
        for (var e = 0; e < upstream.Length; e++)
        {
            var source = _nodes[upstream[e]];
            var allowed = kinds[e] switch
            {
                FlowEdgeKind.Completed => source.CompletedNormally,
                FlowEdgeKind.Ran => source.State switch
                {
                    TaskState.Cancelled => false,
                    TaskState.Skipped => source.SkipReason == SkipReason.BranchNotTaken,
                    _ => true,
                },
                _ => true,
            };
            if (!allowed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether branch <paramref name="branch"/> and every branch around it hold.</summary>
    private bool BranchHolds(int branch)
    {
        for (var b = branch; b >= 0; b = Graph.Branches[b].Parent)
        {
            var test = Graph.Branches[b];
            var source = Graph.NodeOfSlot(test.ConditionSlot);

            // A condition that was never computed (its node failed, or sits in a branch not
            // taken) holds no branch.
            if (source >= 0 && _nodes[source].State != TaskState.Succeeded)
            {
                return false;
            }

            if (!test.Holds(Slots[test.ConditionSlot]))
            {
                return false;
            }
        }

        return true;
    }

    private Verdict Item(FlowNode node)
    {
        var tuple = Slots[node.Inputs[0]];
        if (tuple is not ITuple items || node.ItemIndex >= items.Length)
        {
            var error = new FlowDefinitionException(
                $"Flow '{FlowName}': node '{NamePrefix}{node.Name}' reads element {node.ItemIndex} of a {tuple?.GetType().ToString() ?? "null"}, which is not a tuple of that many elements.");
            return new Verdict(TaskState.Failed, null, error, SkipReason.None);
        }

        return Verdict.Succeeded(items[node.ItemIndex]);
    }

    /// <summary>The first input whose branch holds: the value of the path that ran.</summary>
    private Verdict Merge(FlowNode node)
    {
        var inputs = node.Inputs;
        var branches = node.MergeBranches;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (branches[i] >= 0 && !BranchHolds(branches[i]))
            {
                continue;
            }

            var source = Graph.NodeOfSlot(inputs[i]);
            if (source < 0 || _nodes[source].State == TaskState.Succeeded)
            {
                return Verdict.Succeeded(Slots[inputs[i]]);
            }

            return _nodes[source].State == TaskState.Cancelled ? Verdict.Cancelled : Verdict.Skipped(SkipReason.Upstream);
        }

        // No path held: a condition did not complete (its own failure is what fails the run).
        return Verdict.Skipped(SkipReason.Upstream);
    }

    /// <summary>
    /// The end of a try block: the first failure among the block's nodes (in body order, as the
    /// eager body meets it) is taken by the first catch clause that matches it, or fails this node,
    /// and with it the run or the try around this one.
    /// </summary>
    private Verdict TryEnd(NodeRun node)
    {
        var upstream = Graph.UpstreamOf(node.Index);
        var kinds = Graph.UpstreamKindsOf(node.Index);
        var cancelled = false;
        var skipped = false;
        for (var e = 0; e < upstream.Length; e++)
        {
            // The block's nodes are the Settled edges; a Completed edge is the statement order before the try.
            if (kinds[e] != FlowEdgeKind.Settled)
            {
                continue;
            }

            var source = _nodes[upstream[e]];
            var state = source.State;
            if (TaskStats.IsFailure((int)state))
            {
                var error = source.Stats.Error ?? new InvalidOperationException($"Task '{NamePrefix}{source.Node.Name}' ended {state}.");
                var clause = CatchClauses.Match(node.Node.CatchTypes, error);
                return clause >= 0
                    ? Verdict.Succeeded(new CaughtFailure(error, clause))
                    : new Verdict(TaskState.Failed, null, error, SkipReason.None);
            }

            cancelled |= state == TaskState.Cancelled;
            skipped |= state == TaskState.Skipped && source.SkipReason != SkipReason.BranchNotTaken;
        }

        // No failure in the block: a skip there comes from a failure before the try, which the
        // try never saw (its catch does not run, as in the eager body).
        return cancelled ? Verdict.Cancelled
            : skipped ? Verdict.Skipped(SkipReason.Upstream)
            : Verdict.Succeeded(null);
    }

    /// <summary>How a node that runs no code ends.</summary>
    private readonly record struct Verdict(TaskState State, object? Value, Exception? Error, SkipReason Reason)
    {
        public static Verdict Cancelled => new(TaskState.Cancelled, null, null, SkipReason.None);

        public static Verdict Skipped(SkipReason reason) => new(TaskState.Skipped, null, null, reason);

        public static Verdict Succeeded(object? value) => new(TaskState.Succeeded, value, null, SkipReason.None);
    }
}
