namespace Flows;

/// <summary>An attempt ran past its task's <c>TimeoutMs</c>.</summary>
public sealed class TaskTimedOutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public TaskTimedOutException(string flowName, string taskName, int timeoutMs, bool abandoned)
        : base(abandoned
            ? $"Flow '{flowName}': task '{taskName}' ran past its TimeoutMs of {timeoutMs} ms and ignored its cancellation token; the attempt was abandoned and still runs unobserved. Observe the CancellationToken in the task, or raise TimeoutMs."
            : $"Flow '{flowName}': task '{taskName}' ran past its TimeoutMs of {timeoutMs} ms and was cancelled. Raise TimeoutMs if the work needs longer.")
    {
        FlowName = flowName;
        TaskName = taskName;
        TimeoutMs = timeoutMs;
        Abandoned = abandoned;
    }

    /// <summary>The flow.</summary>
    public string FlowName { get; }

    /// <summary>The task that ran too long.</summary>
    public string TaskName { get; }

    /// <summary>The limit it ran past.</summary>
    public int TimeoutMs { get; }

    /// <summary>Whether the attempt's code was still running when it was given up.</summary>
    public bool Abandoned { get; }
}
