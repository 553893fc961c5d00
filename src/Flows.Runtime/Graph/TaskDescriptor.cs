using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// What the runtime knows of one <c>[Task]</c> method: its identity, its policy and how to call it.
/// Generated once per task method.
/// </summary>
public sealed class TaskDescriptor
{
    /// <summary>Describes a task.</summary>
    /// <param name="id">Stable identity across builds: <c>Namespace.Type.Method</c>.</param>
    /// <param name="name">Display name in reports and logs.</param>
    /// <param name="invoke">Calls the method.</param>
    /// <param name="asyncResult">
    /// For an asynchronous task: reads the result of the completed <see cref="Task"/> the invoker
    /// returned (null for a plain <c>Task</c>). Null for a synchronous task.
    /// </param>
    /// <param name="retries">Retries after a failed attempt.</param>
    /// <param name="retryDelayMs">Delay before the first retry.</param>
    /// <param name="retryBackoff">Factor applied to the delay after each retry.</param>
    /// <param name="timeoutMs">Time limit of one attempt; 0 for none.</param>
    /// <param name="codec">Moves inputs and result across a process boundary; null when some type cannot be serialized.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TaskDescriptor(
        string id,
        string name,
        TaskInvoker invoke,
        Func<Task, object?>? asyncResult = null,
        int retries = 0,
        int retryDelayMs = 0,
        double retryBackoff = 1.0,
        int timeoutMs = 0,
        ITaskCodec? codec = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(invoke);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfNegative(retryDelayMs);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMs);
        if (!(retryBackoff >= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(retryBackoff), retryBackoff, "The retry backoff factor must be 1 or more.");
        }

        Id = id;
        Name = name;
        Invoke = invoke;
        AsyncResult = asyncResult;
        Retries = retries;
        RetryDelayMs = retryDelayMs;
        RetryBackoff = retryBackoff;
        TimeoutMs = timeoutMs;
        Codec = codec;
    }

    /// <summary>Stable identity across builds: <c>Namespace.Type.Method</c>.</summary>
    public string Id { get; }

    /// <summary>Display name in reports and logs.</summary>
    public string Name { get; }

    /// <summary>Calls the method.</summary>
    public TaskInvoker Invoke { get; }

    /// <summary>Reads the result of a completed asynchronous attempt; null for synchronous tasks.</summary>
    public Func<Task, object?>? AsyncResult { get; }

    /// <summary>Whether the invoker returns a <see cref="Task"/> to await.</summary>
    public bool IsAsync => AsyncResult is not null;

    /// <summary>Retries after a failed attempt.</summary>
    public int Retries { get; }

    /// <summary>Delay before the first retry, in milliseconds.</summary>
    public int RetryDelayMs { get; }

    /// <summary>Factor applied to the delay after each retry.</summary>
    public double RetryBackoff { get; }

    /// <summary>Time limit of one attempt in milliseconds; 0 for none.</summary>
    public int TimeoutMs { get; }

    /// <summary>Moves inputs and result across a process boundary; null when the task can only run in process.</summary>
    public ITaskCodec? Codec { get; }

    /// <summary>
    /// How long the task's code runs in workers (a running average the process pool's and the
    /// cluster's queue budgets and placement estimate from, shared by every executor of the process).
    /// It lives in an object of its own: workers' reports update it from reader threads while the
    /// scheduler reads this descriptor on others.
    /// </summary>
    internal RunTimeEstimate RunTime { get; } = new();

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayBeforeRetry(int retry)
    {
        if (RetryDelayMs == 0)
        {
            return TimeSpan.Zero;
        }

        var ms = RetryDelayMs * Math.Pow(RetryBackoff, retry - 1);
        return TimeSpan.FromMilliseconds(Math.Min(ms, int.MaxValue));
    }
}
