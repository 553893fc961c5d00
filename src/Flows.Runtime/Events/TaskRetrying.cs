namespace Flows;

/// <summary>An attempt failed, timed out or crashed, and the task will be tried again after <see cref="Delay"/>.</summary>
public sealed class TaskRetrying : TaskEvent
{
    internal TaskRetrying(string runId, string flowName, long timestamp, string node, int element, string taskId, int attempt, TaskState outcome, Exception? error, TimeSpan delay)
        : base(runId, flowName, timestamp, node, element, taskId)
    {
        Attempt = attempt;
        Outcome = outcome;
        Error = error;
        Delay = delay;
    }

    /// <summary>The attempt that did not succeed.</summary>
    public int Attempt { get; }

    /// <summary>How it ended: <see cref="TaskState.Failed"/>, <see cref="TaskState.TimedOut"/> or <see cref="TaskState.Crashed"/>.</summary>
    public TaskState Outcome { get; }

    /// <summary>What it threw (a <see cref="RemoteTaskException"/> when it ran in another process).</summary>
    public Exception? Error { get; }

    /// <summary>How long the scheduler waits before the next attempt.</summary>
    public TimeSpan Delay { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.TaskRetrying;
}
