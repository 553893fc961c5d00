using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>Every log line the scheduler writes, in one place. Each call is free when no logger is set.</summary>
internal static partial class RunLog
{
    public static void FlowStarted(ILogger? logger, string flow, int nodes)
    {
        if (logger?.IsEnabled(LogLevel.Information) == true)
        {
            LogFlowStarted(logger, flow, nodes);
        }
    }

    public static void FlowFinished(ILogger? logger, string flow, FlowState state, double ms)
    {
        if (logger is null)
        {
            return;
        }

        if (state == FlowState.Succeeded)
        {
            LogFlowSucceeded(logger, flow, ms);
        }
        else
        {
            LogFlowNotSucceeded(logger, flow, state, ms);
        }
    }

    public static void FlowCancelled(ILogger? logger, string flow)
    {
        if (logger is not null)
        {
            LogFlowCancelled(logger, flow);
        }
    }

    public static void TaskStarted(ILogger? logger, string flow, TaskAttempt attempt)
    {
        if (logger?.IsEnabled(LogLevel.Debug) == true)
        {
            LogTaskStarted(logger, flow, attempt.TaskName, attempt.Number);
        }
    }

    public static void TaskFinished(ILogger? logger, string flow, TaskAttempt attempt, TaskState state, Exception? error)
    {
        if (logger is null)
        {
            return;
        }

        switch (state)
        {
            case TaskState.Succeeded:
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    LogTaskSucceeded(logger, flow, attempt.TaskName, attempt.Number);
                }

                break;
            case TaskState.Failed:
            case TaskState.Crashed:
                LogTaskFailed(logger, flow, attempt.TaskName, attempt.Number, error);
                break;
            case TaskState.TimedOut:
                LogTaskTimedOut(logger, flow, attempt.TaskName, attempt.Number, attempt.Task.TimeoutMs, error);
                break;
        }
    }

    public static void TaskRetrying(ILogger? logger, string flow, string task, int attempt, int maxAttempts, double delayMs, Exception? error)
    {
        if (logger is not null)
        {
            LogTaskRetrying(logger, flow, task, attempt, maxAttempts, delayMs, error);
        }
    }

    /// <summary>A failure with retries left that <c>RetryOn</c> does not list: it fails the task at once.</summary>
    public static void TaskNotRetried(ILogger? logger, string flow, string task, int attempt, string exceptionType, IReadOnlyList<string> retryOn)
    {
        if (logger?.IsEnabled(LogLevel.Information) == true)
        {
            LogTaskNotRetried(logger, flow, task, attempt, exceptionType, string.Join(", ", retryOn));
        }
    }

    public static void LateOutcomeDiscarded(ILogger? logger, string flow, string task, int attempt, TaskState outcome)
    {
        if (logger is not null)
        {
            LogLateOutcome(logger, flow, task, attempt, outcome);
        }
    }

    public static void FlowStalled(ILogger? logger, string flow, double idleSeconds, double timeoutSeconds, string inFlight)
    {
        if (logger is not null)
        {
            LogFlowStalled(logger, flow, idleSeconds, timeoutSeconds, inFlight);
        }
    }

    public static void WorkerAbandoned(ILogger? logger, string flow, string task, string why, int abandoned, int bound)
    {
        if (logger is not null)
        {
            LogWorkerAbandoned(logger, flow, task, why, abandoned, bound);
        }
    }

    public static void ExecutorExhausted(ILogger? logger, string flow, string task, int abandoned, int bound)
    {
        if (logger is not null)
        {
            LogExecutorExhausted(logger, flow, task, abandoned, bound);
        }
    }

    public static void WorkerProcessKilled(ILogger? logger, string flow, string task, int processId, double graceMs)
    {
        if (logger is not null)
        {
            LogWorkerProcessKilled(logger, flow, task, processId, graceMs);
        }
    }

    public static void ListenerFailed(ILogger? logger, string flow, string listener, string flowEvent, Exception error)
    {
        if (logger is not null)
        {
            LogListenerFailed(logger, flow, listener, flowEvent, error);
        }
    }

    [LoggerMessage(50, LogLevel.Warning, "Flow {Flow}: event listener {Listener} threw on a {Event} event and gets no more events of this run; the run and the other listeners go on")]
    private static partial void LogListenerFailed(ILogger logger, string flow, string listener, string @event, Exception error);

    [LoggerMessage(5, LogLevel.Warning, "Flow {Flow} made no progress (no task started or finished) for {IdleSeconds:F1} s, past its StallTimeout of {TimeoutSeconds:F1} s; {InFlight}. A task that hangs should observe its CancellationToken and have a TimeoutMs")]
    private static partial void LogFlowStalled(ILogger logger, string flow, double idleSeconds, double timeoutSeconds, string inFlight);

    [LoggerMessage(20, LogLevel.Warning, "Flow {Flow}: task {Task} {Why} and its code still runs; its worker thread was abandoned (it leaves when the code returns) and the executor has {Abandoned} abandoned thread(s) of at most {Bound}. Make the task observe its CancellationToken, or run it on a ProcessExecutor, which can kill it")]
    private static partial void LogWorkerAbandoned(ILogger logger, string flow, string task, string why, int abandoned, int bound);

    [LoggerMessage(21, LogLevel.Error, "Flow {Flow}: task {Task}'s worker thread was abandoned with {Abandoned} abandoned thread(s) already running, past the executor's bound of {Bound}: it was not replaced and the ThreadExecutor refuses new tasks until abandoned threads return. Threads cannot be killed: fix the tasks that ignore their CancellationToken, run them on a ProcessExecutor, or restart the process")]
    private static partial void LogExecutorExhausted(ILogger logger, string flow, string task, int abandoned, int bound);

    [LoggerMessage(22, LogLevel.Warning, "Flow {Flow} was cancelled, but task {Task} still ran in worker process {ProcessId} {GraceMs} ms later, ignoring its cancellation; the worker was killed and is being replaced")]
    private static partial void LogWorkerProcessKilled(ILogger logger, string flow, string task, int processId, double graceMs);

    [LoggerMessage(1, LogLevel.Information, "Flow {Flow} started with {Nodes} node(s)")]
    private static partial void LogFlowStarted(ILogger logger, string flow, int nodes);

    [LoggerMessage(2, LogLevel.Information, "Flow {Flow} succeeded in {ElapsedMs:F1} ms")]
    private static partial void LogFlowSucceeded(ILogger logger, string flow, double elapsedMs);

    [LoggerMessage(3, LogLevel.Error, "Flow {Flow} ended {State} after {ElapsedMs:F1} ms")]
    private static partial void LogFlowNotSucceeded(ILogger logger, string flow, FlowState state, double elapsedMs);

    [LoggerMessage(4, LogLevel.Warning, "Flow {Flow} was cancelled; unfinished tasks are marked Cancelled")]
    private static partial void LogFlowCancelled(ILogger logger, string flow);

    [LoggerMessage(10, LogLevel.Debug, "Flow {Flow}: task {Task} attempt {Attempt} started")]
    private static partial void LogTaskStarted(ILogger logger, string flow, string task, int attempt);

    [LoggerMessage(11, LogLevel.Debug, "Flow {Flow}: task {Task} attempt {Attempt} succeeded")]
    private static partial void LogTaskSucceeded(ILogger logger, string flow, string task, int attempt);

    [LoggerMessage(12, LogLevel.Error, "Flow {Flow}: task {Task} failed on attempt {Attempt}")]
    private static partial void LogTaskFailed(ILogger logger, string flow, string task, int attempt, Exception? error);

    [LoggerMessage(13, LogLevel.Error, "Flow {Flow}: task {Task} timed out on attempt {Attempt} (TimeoutMs {TimeoutMs})")]
    private static partial void LogTaskTimedOut(ILogger logger, string flow, string task, int attempt, int timeoutMs, Exception? error);

    [LoggerMessage(14, LogLevel.Warning, "Flow {Flow}: task {Task} attempt {Attempt} of {MaxAttempts} did not succeed; retrying in {DelayMs} ms")]
    private static partial void LogTaskRetrying(ILogger logger, string flow, string task, int attempt, int maxAttempts, double delayMs, Exception? error);

    [LoggerMessage(30, LogLevel.Information, "Flow {Flow}: task {Task} attempt {Attempt} threw {ExceptionType}, which its RetryOn ({RetryOn}) does not list; not retried")]
    private static partial void LogTaskNotRetried(ILogger logger, string flow, string task, int attempt, string exceptionType, string retryOn);

    [LoggerMessage(15, LogLevel.Warning, "Flow {Flow}: task {Task} attempt {Attempt} ended {Outcome} after it had already been settled (timed out or cancelled); the late outcome was discarded")]
    private static partial void LogLateOutcome(ILogger logger, string flow, string task, int attempt, TaskState outcome);
}
