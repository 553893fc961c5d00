namespace Flows;

/// <summary>The process that ran a task attempt died before it answered.</summary>
public sealed class TaskCrashedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="flowName">The flow.</param>
    /// <param name="taskName">The task whose attempt was running.</param>
    /// <param name="cause">What is known of the death: exit code, signal, the worker's last error output.</param>
    public TaskCrashedException(string flowName, string taskName, string cause)
        : base($"Flow '{flowName}': the worker process running task '{taskName}' died: {cause}. " +
               "The task is retried on a fresh worker while it has retries left; if it keeps crashing, look for a stack overflow, unbounded memory or Environment.FailFast in it.")
    {
        FlowName = flowName;
        TaskName = taskName;
        Cause = cause;
    }

    /// <summary>The flow.</summary>
    public string FlowName { get; }

    /// <summary>The task whose attempt was running.</summary>
    public string TaskName { get; }

    /// <summary>What is known of the death.</summary>
    public string Cause { get; }
}
