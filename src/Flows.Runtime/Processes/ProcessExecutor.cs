using System.Diagnostics;
using Flows.Processes;
using Flows.Workers;

namespace Flows;

/// <summary>
/// Runs a flow's tasks in <c>numWorkers</c> worker processes on this machine: Prefect's
/// <c>LocalDaskExecutor(scheduler="processes")</c>. Inputs and results are copied with the
/// generated serializers. Use it for isolation, not speed (.NET threads already run in parallel):
/// a task that may crash or leak, native code that is not thread-safe, static state, or a hard
/// timeout that must stop the work.
/// </summary>
/// <remarks>
/// Workers are one generic host (<c>Flows.Worker.dll</c>) that loads the task's assembly by path
/// and refuses another build of it. They are started on the first run (or by <see cref="StartAsync"/>),
/// reused across runs, and ended on dispose; a worker whose flow process dies ends itself. A worker
/// that dies marks its running task Crashed (retried on a fresh worker while retries are left) and is
/// replaced; a task past its timeout is killed with its worker.
/// </remarks>
[ExecutorKind(ExecutorKinds.Processes)]
public sealed class ProcessExecutor : FlowExecutor
{
    private readonly object _gate = new();
    private readonly ProcessExecutorOptions _options;
    private ProcessPool? _pool;
    private Task? _starting;
    private bool _disposed;

    /// <summary>Creates an executor with <paramref name="numWorkers"/> worker processes (default: the core count).</summary>
    public ProcessExecutor(int? numWorkers = null, ProcessExecutorOptions? options = null)
    {
        var workers = numWorkers ?? Environment.ProcessorCount;
        if (workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(numWorkers), numWorkers, "A ProcessExecutor needs at least one worker.");
        }

        _options = options ?? new ProcessExecutorOptions();
        if (_options.MaxTasksInFlightPerWorker < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxTasksInFlightPerWorker, "MaxTasksInFlightPerWorker must be at least 1.");
        }

        NumWorkers = workers;
    }

    /// <summary>How many worker processes run tasks.</summary>
    public int NumWorkers { get; }

    /// <inheritdoc />
    public override string Name => "processes";

    /// <inheritdoc />
    public override int MaxParallelism => NumWorkers;

    /// <summary>How long the last start of the workers took (process start to handshake), once known.</summary>
    public TimeSpan? StartDuration { get; private set; }

    /// <summary>The process ids of the live workers (for diagnostics and tests).</summary>
    public IReadOnlyList<int> WorkerProcessIds => _pool?.WorkerProcessIds ?? Array.Empty<int>();

    /// <summary>The folder in shared memory where workers leave large results (null: none, or not started).</summary>
    internal string? SharedMemoryDirectory => _pool?.SharedDirectory;

    /// <summary>Starts the worker processes now, instead of at the first run, and waits for them.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_starting is null)
            {
                _pool = new ProcessPool(NumWorkers, _options, FindWorker(_options));
                _starting = StartPoolAsync(_pool, cancellationToken);
            }

            return _starting;
        }
    }

    /// <summary>
    /// Worker processes alive of <see cref="NumWorkers"/>, asked of the operating system now (a worker killed a
    /// moment ago counts as dead before the pool has noticed): Healthy when all are, Degraded when some are (a dead
    /// worker is replaced on its own), Unhealthy when none is, before the workers are started (the first run or
    /// <see cref="StartAsync"/>), while they start, when they could not start, and once the executor is disposed.
    /// </summary>
    public override ValueTask<ExecutorHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        ProcessPool? pool;
        Task? starting;
        bool disposed;
        lock (_gate)
        {
            (pool, starting, disposed) = (_pool, _starting, _disposed);
        }

        var expected = new ExecutorHealth(ExecutorHealthStatus.Unhealthy, "") { Workers = NumWorkers, Alive = 0 };
        if (disposed)
        {
            return ValueTask.FromResult(expected with { Description = "The process executor is disposed: its worker processes have ended." });
        }

        if (starting is null || pool is null)
        {
            return ValueTask.FromResult(expected with { Description = "The process executor is not started: its worker processes start with the first run or StartAsync." });
        }

        if (!starting.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(expected with
            {
                Description = starting.IsCompleted
                    ? $"The process executor's worker processes could not start: {starting.Exception?.GetBaseException().Message ?? "the start was cancelled"}."
                    : $"The process executor's {NumWorkers} worker processes are starting.",
            });
        }

        var alive = pool.WorkerProcessIds.Count(ProcessLiveness.IsAlive);
        var text = $"{alive} of {NumWorkers} worker processes alive";
        var health = expected with { Alive = alive };
        return ValueTask.FromResult(alive switch
        {
            0 => health with { Description = $"{text}: no task can run until a replacement has started." },
            _ when alive < NumWorkers => health with { Status = ExecutorHealthStatus.Degraded, Description = $"{text}; the dead ones are being replaced." },
            _ => health with { Status = ExecutorHealthStatus.Healthy, Description = $"{text}." },
        });
    }

    /// <inheritdoc />
    protected internal override WorkDispatcher BeginRun()
    {
        var starting = StartAsync();
        if (starting.IsFaulted)
        {
            starting.GetAwaiter().GetResult();
        }

        return new ProcessRunDispatcher(_pool!);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        ProcessPool? pool;
        lock (_gate)
        {
            _disposed = true;
            pool = _pool;
        }

        pool?.Dispose();
    }

    private async Task StartPoolAsync(ProcessPool pool, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await pool.StartAsync(cancellationToken).ConfigureAwait(false);
        StartDuration = clock.Elapsed;
    }

    private static WorkerHostLaunch FindWorker(ProcessExecutorOptions options)
    {
        if (options.WorkerPath is { } configured)
        {
            return File.Exists(configured)
                ? WorkerHostLaunch.For(Path.GetFullPath(configured), options.DotnetPath)
                : throw new FileNotFoundException($"ProcessExecutorOptions.WorkerPath points at {configured}, which does not exist.", configured);
        }

        const string name = "Flows.Worker.dll";
        var host = WorkerHostLaunch.FindHost(name, typeof(ProcessExecutor))
            ?? throw new FileNotFoundException(
                $"A ProcessExecutor needs {name} and Flows.Worker.runtimeconfig.json next to the application ({AppContext.BaseDirectory}). " +
                "The Flows package's build targets put them there: reference the Flows package (`dotnet add package Flows`) from the project that runs the flow, " +
                "do not set <FlowsCopyWorkerHosts>false</FlowsCopyWorkerHosts> in it, and rebuild; or set ProcessExecutorOptions.WorkerPath.",
                name);
        return WorkerHostLaunch.For(host, options.DotnetPath);
    }
}
