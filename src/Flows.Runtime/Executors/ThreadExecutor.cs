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
/// keeps its thread; the executor starts a replacement worker so the flow keeps its parallelism. So
/// does code of a cancelled run that still runs a second after the cancellation. Such abandoned
/// threads run on until their code returns (a thread cannot be killed); each is logged as a warning
/// through the run's logger. Past <c>2 × numWorkers</c> of them, the executor starts no more threads
/// and refuses tasks (a <see cref="FlowExecutorException"/> on the next run, naming the stuck tasks)
/// until abandoned threads return.
/// </remarks>
[ExecutorKind(ExecutorKinds.Threads)]
public sealed class ThreadExecutor : FlowExecutor
{
    private readonly object _gate = new();
    private ThreadDispatcher? _pool;
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
        MaxAbandonedThreads = 2 * workers;
    }

    /// <summary>How many abandoned threads are replaced before the executor refuses work (2 × workers).</summary>
    internal int MaxAbandonedThreads { get; init; }

    /// <summary>How long a cancelled run's code may keep its thread before the thread is abandoned.</summary>
    internal TimeSpan CancelGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many abandoned threads still run their code (for diagnostics and tests).</summary>
    internal int AbandonedThreads => _pool?.AbandonedThreads ?? 0;

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
            _pool ??= new ThreadDispatcher(NumWorkers, MaxAbandonedThreads, CancelGrace);
            _pool.ThrowIfExhausted();
            return _pool;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        ThreadDispatcher? pool;
        lock (_gate)
        {
            _disposed = true;
            pool = _pool;
        }

        pool?.Stop();
    }
}
