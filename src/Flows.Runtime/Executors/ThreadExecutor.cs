namespace Flows;

/// <summary>
/// Runs a flow's tasks on <c>numWorkers</c> dedicated threads of this process: Prefect's
/// <c>LocalDaskExecutor(scheduler="threads")</c>. .NET has no global interpreter lock, so threads
/// give CPU parallelism; data is shared by reference and must be thread-safe (the Flows analyzers
/// check what they can at compile time).
/// </summary>
/// <remarks>
/// At most <see cref="MaxParallelism"/> task attempts run code at once. An asynchronous task that
/// awaits I/O gives its thread back while it waits, so many such tasks can be in flight. Workers are
/// started on the first run and reused until the executor is disposed; one executor may serve
/// several runs at the same time. A synchronous attempt that times out while its code still runs
/// keeps its thread; the executor starts a replacement worker so the flow keeps its parallelism.
/// </remarks>
public sealed class ThreadExecutor : FlowExecutor
{
    private readonly object _gate = new();
    private WorkerPool? _pool;
    private bool _disposed;

    /// <summary>Creates an executor with <paramref name="numWorkers"/> threads (default: the core count).</summary>
    public ThreadExecutor(int? numWorkers = null)
    {
        var workers = numWorkers ?? Environment.ProcessorCount;
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numWorkers), numWorkers, "A ThreadExecutor needs at least one worker.");
        }

        NumWorkers = workers;
    }

    /// <summary>How many worker threads run tasks.</summary>
    public int NumWorkers { get; }

    /// <inheritdoc />
    public override string Name => "threads";

    /// <inheritdoc />
    public override int MaxParallelism => NumWorkers;

    /// <inheritdoc />
    protected internal override WorkDispatcher BeginRun()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pool ??= new WorkerPool(NumWorkers);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        WorkerPool? pool;
        lock (_gate)
        {
            _disposed = true;
            pool = _pool;
        }

        pool?.Stop();
    }
}
