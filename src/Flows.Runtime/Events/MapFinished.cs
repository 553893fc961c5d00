namespace Flows;

/// <summary>
/// A mapped node ended: after its elements' <see cref="TaskFinished"/> events, or without any when it
/// was skipped, or its collection could not be read (<see cref="Error"/>).
/// </summary>
public sealed class MapFinished : FlowEvent
{
    internal MapFinished(string runId, string flowName, long timestamp, string node, TaskState state, Exception? error)
        : base(runId, flowName, timestamp)
    {
        Node = node;
        State = state;
        Error = error;
    }

    /// <summary>The mapped node's name.</summary>
    public string Node { get; }

    /// <summary>The node's state: succeeded when every element did (or, for <c>Flow.TryMap</c>, ran).</summary>
    public TaskState State { get; }

    /// <summary>The first element's failure, or why the node was skipped or could not start.</summary>
    public Exception? Error { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.Maps;
}
