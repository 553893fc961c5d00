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
    /// Milliseconds an attempt may run. Past it the task's token is cancelled and the attempt
    /// is marked timed out, even if the task's code ignores the token. 0 (the default) means no limit.
    /// </summary>
    public int TimeoutMs { get; set; }
}
