namespace Flows;

/// <summary>A subflow node ended, or was skipped or cancelled before it started.</summary>
public sealed class SubflowFinished : FlowEvent
{
    internal SubflowFinished(string runId, string flowName, long timestamp, string node, TaskState state, Exception? error)
        : base(runId, flowName, timestamp)
    {
        Node = node;
        State = state;
        Error = error;
    }

    /// <summary>The subflow node's name.</summary>
    public string Node { get; }

    /// <summary>Succeeded, Failed (a <see cref="FlowFailedException"/> in <see cref="Error"/>), Skipped or Cancelled.</summary>
    public TaskState State { get; }

    /// <summary>Why it did not succeed.</summary>
    public Exception? Error { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.Subflows;
}
