namespace Flows.Cluster.Memory;

/// <summary>
/// What one worker did about its memory, counted over its life: the worker sends a snapshot
/// (<see cref="Protocol.WorkerMemoryNews"/>) with a poll answer only when one of them changed.
/// </summary>
internal sealed class MemoryCounters
{
    private long _version;
    private long _bytesSpilled;
    private long _bytesReadBack;
    private long _spills;
    private long _spillFailures;
    private long _pauses;
    private long _resumes;
    private string? _lastSpillError;

    /// <summary>Changes every time something worth telling happened (the outboxes compare it).</summary>
    public long Version => Volatile.Read(ref _version);

    public long BytesSpilled => Interlocked.Read(ref _bytesSpilled);

    public long BytesReadBack => Interlocked.Read(ref _bytesReadBack);

    public long Spills => Interlocked.Read(ref _spills);

    public long SpillFailures => Interlocked.Read(ref _spillFailures);

    public long Pauses => Interlocked.Read(ref _pauses);

    public long Resumes => Interlocked.Read(ref _resumes);

    public string? LastSpillError => Volatile.Read(ref _lastSpillError);

    /// <summary>Raised after a change (the task host wakes the clients' waiting polls).</summary>
    public event Action? Changed;

    public void Spilled(long bytes)
    {
        Interlocked.Add(ref _bytesSpilled, bytes);
        Interlocked.Increment(ref _spills);
        Bump();
    }

    public void ReadBack(long bytes)
    {
        Interlocked.Add(ref _bytesReadBack, bytes);
        Bump();
    }

    public void SpillFailed(string error)
    {
        Volatile.Write(ref _lastSpillError, error);
        Interlocked.Increment(ref _spillFailures);
        Bump();
    }

    public void Paused()
    {
        Interlocked.Increment(ref _pauses);
        Bump();
    }

    public void Resumed()
    {
        Interlocked.Increment(ref _resumes);
        Bump();
    }

    /// <summary>Something else worth telling (a new peak).</summary>
    public void Bump()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
    }
}
