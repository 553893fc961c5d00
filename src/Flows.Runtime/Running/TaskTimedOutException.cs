namespace Flows;

/// <summary>An attempt ran past its task's <c>TimeoutMs</c>.</summary>
public sealed class TaskTimedOutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public TaskTimedOutException(string flowName, string taskName, int timeoutMs, bool abandoned)
        : this(flowName, taskName, timeoutMs, abandoned, killed: false)
    {
    }

    /// <summary>Creates the exception; <paramref name="killed"/>: the code was stopped by killing its worker process.</summary>
    public TaskTimedOutException(string flowName, string taskName, int timeoutMs, bool abandoned, bool killed)
        : base(Describe(flowName, taskName, timeoutMs, abandoned, killed))
    {
        FlowName = flowName;
        TaskName = taskName;
        TimeoutMs = timeoutMs;
        Abandoned = abandoned;
        Killed = killed;
    }

    private static string Describe(string flowName, string taskName, int timeoutMs, bool abandoned, bool killed)
    {
        var subject = $"Flow '{flowName}': task '{taskName}' ran past its TimeoutMs of {timeoutMs} ms";
        if (killed)
        {
            return $"{subject} and ignored its cancellation token; its worker process was killed to stop it (a new one takes its place). Observe the CancellationToken in the task, or raise TimeoutMs.";
        }

        return abandoned
            ? $"{subject} and ignored its cancellation token; the attempt was abandoned and still runs unobserved. Observe the CancellationToken in the task, or raise TimeoutMs."
            : $"{subject} and stopped on its cancellation token. Raise TimeoutMs if the work needs longer.";
    }

    /// <summary>The flow.</summary>
    public string FlowName { get; }

    /// <summary>The task that ran too long.</summary>
    public string TaskName { get; }

    /// <summary>The limit it ran past.</summary>
    public int TimeoutMs { get; }

    /// <summary>Whether the attempt's code was still running when it was given up, and runs on unobserved.</summary>
    public bool Abandoned { get; }

    /// <summary>Whether the attempt's code ignored its token and was stopped by killing the worker process it ran in.</summary>
    public bool Killed { get; }
}
