using System.Diagnostics;
using System.Runtime.InteropServices;
using Flows.Processes;

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

    /// <summary>Starts the worker processes now, instead of at the first run, and waits for them.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_starting is null)
            {
                _pool = new ProcessPool(NumWorkers, _options, FindDotnet(_options), FindWorker(_options));
                _starting = StartPoolAsync(_pool, cancellationToken);
            }

            return _starting;
        }
    }

    /// <inheritdoc />
    protected internal override WorkDispatcher BeginRun()
    {
        var starting = StartAsync();
        if (starting.IsFaulted)
        {
            starting.GetAwaiter().GetResult();
        }

        return _pool!;
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

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "The runtime's own location is only a fallback; an empty one is skipped.")]
    private static string FindWorker(ProcessExecutorOptions options)
    {
        if (options.WorkerPath is { } configured)
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new FileNotFoundException($"ProcessExecutorOptions.WorkerPath points at {configured}, which does not exist.", configured);
        }

        const string name = "Flows.Worker.dll";
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, name),
            Path.Combine(Path.GetDirectoryName(typeof(ProcessExecutor).Assembly.Location) is { Length: > 0 } runtime ? runtime : AppContext.BaseDirectory, name),
        };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"A ProcessExecutor needs {name} next to the application ({AppContext.BaseDirectory}). " +
                "Add a project reference to src/Flows.Worker/Flows.Worker.csproj to the project that runs the flow, or set ProcessExecutorOptions.WorkerPath.",
                name);
    }

    internal static string FindDotnet(ProcessExecutorOptions options)
    {
        if (options.DotnetPath is { } configured)
        {
            return configured;
        }

        // Set by the dotnet CLI (run, test); otherwise the host of this runtime, then PATH.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var executable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == executable)
        {
            return self;
        }

        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var candidate = Path.Combine(root, executable);
        return File.Exists(candidate) ? candidate : executable;
    }
}
