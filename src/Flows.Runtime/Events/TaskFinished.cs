namespace Flows;

/// <summary>
/// A task run reached its final state: succeeded (run, <see cref="Restored"/> or
/// <see cref="TaskState.Cached"/>), failed, timed out or crashed with no retry left, skipped, or
/// cancelled. Its fields are those of the run's <see cref="TaskRun"/> record.
/// </summary>
public sealed class TaskFinished : TaskEvent
{
    internal TaskFinished(string runId, string flowName, long timestamp, string node, int element, string taskId, TaskState state, int attempts, TimeSpan duration, Exception? error)
        : base(runId, flowName, timestamp, node, element, taskId)
    {
        State = state;
        Attempts = attempts;
        Duration = duration;
        Error = error;
    }

    /// <summary>The final state; <see cref="TaskState.Cached"/> for a result taken from the cache.</summary>
    public TaskState State { get; }

    /// <summary>Attempts started, retries included; 0 for a task that did not run.</summary>
    public int Attempts { get; }

    /// <summary>From the first attempt's start to the end of the last one.</summary>
    public TimeSpan Duration { get; }

    /// <summary>What the last attempt threw, or why the task was skipped, cancelled or timed out.</summary>
    public Exception? Error { get; }

    /// <summary>Whether the result was restored from a stored run's checkpoint (<c>ResumeAsync</c>) instead of run.</summary>
    public bool Restored { get; internal init; }

    /// <summary>Why a <see cref="TaskState.Skipped"/> task did not run (<see cref="TaskRun.SkipReason"/>); null otherwise.</summary>
    public string? SkipReason { get; internal init; }

    /// <summary>
    /// Whether a failure did not fail the run: an element of a <c>Flow.TryMap</c>, kept as its outcome.
    /// (A failure a catch clause takes is known only when its try block ends; the run's record says it.)
    /// </summary>
    public bool FailureKept { get; internal init; }

    internal override FlowEventKinds Kind => KindOf(State);

    /// <summary>Which kind a task run's end in <paramref name="state"/> is.</summary>
    internal static FlowEventKinds KindOf(TaskState state) =>
        state is TaskState.Succeeded or TaskState.Cached ? FlowEventKinds.TaskSucceeded : FlowEventKinds.TaskNotSucceeded;
}
