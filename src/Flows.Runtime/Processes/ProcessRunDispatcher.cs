using System.Collections.Concurrent;

namespace Flows.Processes;

/// <summary>
/// One run on a <see cref="ProcessPool"/>: the pool runs its attempts, and this keeps the run's
/// results left in shared memory (<see cref="SharedResult"/>) until the run ends, then deletes them.
/// The pool is shared by every run of its executor; a run's shared results are its own.
/// </summary>
internal sealed class ProcessRunDispatcher : WorkDispatcher
{
    private readonly ProcessPool _pool;
    private readonly ConcurrentQueue<SharedResult> _kept = new();
    private int _ended;

    public ProcessRunDispatcher(ProcessPool pool)
    {
        _pool = pool;
    }

    /// <summary>Whether the run may keep results in shared memory (the pool has a folder for them).</summary>
    public bool KeepsShared => _pool.SharedDirectory is not null;

    public override void Submit(TaskAttempt attempt) => _pool.Submit(attempt, this);

    public override void BeginBurst() => _pool.BeginBurst();

    public override void EndBurst() => _pool.EndBurst();

    internal override bool KillsHungAttempts => _pool.KillsHungAttempts;

    public override void OnAbandoned(TaskAttempt attempt) => _pool.OnAbandoned(attempt);

    internal override void OnRunCancelled() => _pool.OnRunCancelled();

    /// <summary>
    /// A chain's intermediate result that the next stage has read: its file goes now, not at the run's
    /// end, so that a long chain of large values holds only its window's worth in /dev/shm (which is memory).
    /// </summary>
    internal override void Discard(object? value)
    {
        if (value is SharedResult shared)
        {
            shared.Delete();
        }
    }

    /// <summary>Keeps a result until the run ends; one that arrives after the end (a late answer) is deleted at once.</summary>
    public void Keep(SharedResult result)
    {
        _kept.Enqueue(result);
        if (Volatile.Read(ref _ended) != 0)
        {
            DeleteKept();
        }
    }

    public override void RunEnded()
    {
        Volatile.Write(ref _ended, 1);
        DeleteKept();
    }

    private void DeleteKept()
    {
        while (_kept.TryDequeue(out var result))
        {
            result.Delete();
        }
    }
}
