namespace Flows;

/// <summary>
/// Marks a static method as a task: a unit of work that a flow calls and that the runtime
/// schedules, retries, times out and records on its own.
/// </summary>
/// <remarks>
/// A task is a plain static method. Its parameters are the task's inputs, except a
/// <see cref="System.Threading.CancellationToken"/> parameter, which the runtime binds to the
/// run's cancellation and the task's timeout. It may return a value, <c>Task&lt;T&gt;</c>,
/// <c>ValueTask&lt;T&gt;</c>, <c>Task</c> or nothing.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TaskAttribute : Attribute
{
    /// <summary>The name shown in run reports and logs; the method's name when not set.</summary>
    public string? Name { get; set; }

    /// <summary>How many times a failed attempt is tried again before the task fails. Default 0.</summary>
    public int Retries { get; set; }

    /// <summary>Milliseconds to wait before the first retry. Default 0.</summary>
    public int RetryDelayMs { get; set; }

    /// <summary>
    /// Factor applied to the retry delay after each retry (exponential backoff);
    /// 1 (the default) keeps the delay constant.
    /// </summary>
    public double RetryBackoff { get; set; } = 1.0;

    /// <summary>
    /// A random spread of each retry delay: the delay is multiplied by a factor drawn uniformly from
    /// [1 - j, 1 + j], so that tasks that failed together do not all retry at the same moment. From 0
    /// (the default: no spread) up to, not including, 1.
    /// </summary>
    public double RetryJitter { get; set; }

    /// <summary>
    /// The longest a retry waits, in milliseconds: the backoff stops growing there, and no delay
    /// (jitter included) exceeds it. 0 (the default) means no cap.
    /// </summary>
    public int MaxRetryDelayMs { get; set; }

    /// <summary>
    /// The exceptions worth a retry: an attempt that threw one of these types, or a type derived from
    /// one, is retried; any other failure fails the task at once. Types are matched by full name, also
    /// for tasks that ran in another process. A timed-out attempt counts as a
    /// <c>Flows.TaskTimedOutException</c> (a <see cref="TimeoutException"/>) and an attempt whose
    /// worker process died as a <c>Flows.TaskCrashedException</c>: list one of those (or
    /// <see cref="Exception"/>) to retry them too. Not set (the default): every failure, timeout and
    /// crash is retried.
    /// </summary>
    public Type[]? RetryOn { get; set; }

    /// <summary>
    /// Milliseconds an attempt may run. Past it the task's token is cancelled and the attempt
    /// is marked timed out, even if the task's code ignores the token. 0 (the default) means no limit.
    /// </summary>
    public int TimeoutMs { get; set; }

    /// <summary>
    /// Whether the task's result is checkpointed when the run has a store
    /// (<c>FlowRunOptions.Store</c>), so that a resumed run restores it instead of running the task
    /// again. True by default; set it to false for a result that is cheap to recompute, too large to
    /// keep, or must be fresh on every run.
    /// </summary>
    public bool Checkpoint { get; set; } = true;

    /// <summary>
    /// How long a result of this task may be reused, as a <see cref="TimeSpan"/> string such as
    /// <c>"00:10:00"</c> (checked at compile time). With it set and a store on the run, a call whose
    /// task code and input bytes match an entry younger than this is not run: its record is
    /// <c>TaskState.Cached</c>. Not set (the default): never cached.
    /// </summary>
    public string? CacheFor { get; set; }

    /// <summary>
    /// The name under which cache entries are kept, instead of the task's identity: tasks with the same
    /// <c>CacheKey</c> (and the same inputs) share entries. Only with <see cref="CacheFor"/>.
    /// </summary>
    public string? CacheKey { get; set; }

    /// <summary>
    /// How many runs of this task (elements of a mapped call included, synchronous and asynchronous alike)
    /// a flow run lets be in progress at once, on every executor, however many workers it has: the
    /// scheduler hands a task run to the executor only when it has a place, and a task run that waits
    /// for one holds no thread and no worker. The limit holds per flow run (its subflows included); for a
    /// limit across runs, give the task a tag and limit the tag on the executor. 0 (the default) for no limit.
    /// </summary>
    public int MaxConcurrency { get; set; }

    /// <summary>
    /// Names that concurrency limits apply to: <c>FlowRunOptions.TagLimits</c> (per run) and
    /// <c>FlowExecutor.Limits</c> (shared by every run of an executor) cap how many task runs of all the
    /// tasks carrying a tag are in progress at once. A task with several limited tags waits until it has a
    /// place in each. None by default.
    /// </summary>
    public string[]? Tags { get; set; }
}
