namespace Flows;

/// <summary>
/// Thrown by <see cref="FlowRun{T}.Result"/> when the run did not succeed. Names the flow, the
/// first task that failed, its attempts and the original exception (the inner exception).
/// </summary>
public sealed class FlowFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FlowFailedException(string flowName, FlowState state, TaskRun? failedTask, string message)
        : base(message, failedTask?.Exception)
    {
        FlowName = flowName;
        State = state;
        FailedTask = failedTask;
    }

    /// <summary>The flow that did not succeed.</summary>
    public string FlowName { get; }

    /// <summary>How the run ended.</summary>
    public FlowState State { get; }

    /// <summary>The first task that failed, timed out or was cancelled; null when none had started.</summary>
    public TaskRun? FailedTask { get; }

    /// <summary>The failed task's name, or null.</summary>
    public string? TaskName => FailedTask?.Name;

    /// <summary>How many attempts the failed task made.</summary>
    public int Attempts => FailedTask?.Attempts ?? 0;
}
