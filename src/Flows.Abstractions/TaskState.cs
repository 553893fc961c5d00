namespace Flows;

/// <summary>Where one task run stands.</summary>
public enum TaskState : byte
{
    /// <summary>Waiting for its inputs or for a free worker.</summary>
    Pending,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>An attempt failed and the next one waits for its retry delay.</summary>
    Retrying,

    /// <summary>Finished with a result.</summary>
    Succeeded,

    /// <summary>Every attempt threw.</summary>
    Failed,

    /// <summary>Not run because a task it depends on did not succeed.</summary>
    Skipped,

    /// <summary>The run was cancelled before or while this task ran.</summary>
    Cancelled,

    /// <summary>The last attempt ran past the task's <c>TimeoutMs</c>.</summary>
    TimedOut,

    /// <summary>The process running the last attempt died (killed, out of memory, stack overflow, fail-fast).</summary>
    Crashed,

    /// <summary>
    /// Not run: a result of an earlier call with the same task code and the same input bytes was
    /// taken from the run's store (<c>[Task(CacheFor = ...)]</c>). Counts as a success downstream.
    /// </summary>
    Cached,
}
