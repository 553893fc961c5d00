namespace Flows;

/// <summary>An attempt of a task run was handed to its executor (a retry too).</summary>
public sealed class TaskStarted : TaskEvent
{
    internal TaskStarted(string runId, string flowName, long timestamp, string node, int element, string taskId, int attempt)
        : base(runId, flowName, timestamp, node, element, taskId)
    {
        Attempt = attempt;
    }

    /// <summary>1 for the first attempt, 2 for the first retry, ...</summary>
    public int Attempt { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.TaskStarted;
}
