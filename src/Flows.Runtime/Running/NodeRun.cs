using Flows.Graph;

namespace Flows;

/// <summary>One node's state within one flow run.</summary>
internal sealed class NodeRun
{
    public NodeRun(FlowRunState run, int index, FlowNode node, int dependencies)
    {
        Run = run;
        Index = index;
        Node = node;
        PendingDependencies = dependencies;
    }

    public FlowRunState Run { get; }

    public int Index { get; }

    public FlowNode Node { get; }

    /// <summary>Upstream nodes not yet finished; the node is ready when this reaches zero.</summary>
    public int PendingDependencies;

    /// <summary>Set before the decrement by an upstream node that did not succeed.</summary>
    public volatile bool UpstreamFailed;

    /// <summary>The node's record: the task run of a Task node, the node as a whole otherwise.</summary>
    public TaskStats Stats;

    /// <summary>Why the node was skipped; written before its state, so whoever sees Skipped sees the reason.</summary>
    public volatile SkipReason SkipReason;

    /// <summary>Set once a Map node has expanded its collection.</summary>
    public volatile MapRun? Map;

    /// <summary>Set once a Subflow node has started its child run.</summary>
    public volatile FlowRunState? Child;

    /// <summary>The node's result slot in the run.</summary>
    public int Slot => Run.Graph.FirstNodeSlot + Index;

    public bool IsFinished => TaskStats.IsTerminal(Volatile.Read(ref Stats.State));

    public TaskState State => (TaskState)Volatile.Read(ref Stats.State);

    /// <summary>Whether the node ended as a statement that completes does: it succeeded, or its branch was not taken.</summary>
    public bool CompletedNormally => State switch
    {
        TaskState.Succeeded => true,
        TaskState.Skipped => SkipReason == SkipReason.BranchNotTaken,
        _ => false,
    };
}
