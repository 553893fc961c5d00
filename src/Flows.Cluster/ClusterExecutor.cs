using System.Diagnostics;
using Flows.Cluster.Client;
using Flows.Cluster.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flows;

/// <summary>
/// Runs tasks on a cluster of Microsoft Orleans silos: a temporary local cluster (like Dask's
/// <c>DaskExecutor()</c>), or a running cluster on many machines (<see cref="ConnectAsync"/>).
/// Results stay on the worker that made them; a task goes where most of its input bytes are and
/// fetches the rest worker to worker; only what the flow itself reads comes back.
/// </summary>
[ExecutorKind(ExecutorKinds.Cluster)]
public sealed class ClusterExecutor : FlowExecutor
{
    private readonly Lazy<Task<ClusterSession>> _session;
    private readonly int _declaredWorkers;
    private readonly int _declaredThreads;
    private IClusterBackend? _backend;
    private volatile bool _disposed;

    /// <summary>
    /// A local cluster of <paramref name="workers"/> worker processes (default: one per core), started
    /// by the first run and stopped when the executor is disposed.
    /// </summary>
    public ClusterExecutor(int workers = 0, LocalClusterOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        var count = workers == 0 ? Environment.ProcessorCount : workers;
        options ??= new LocalClusterOptions();
        _declaredWorkers = count;
        _declaredThreads = options.ThreadsFor(count) * count;
        _session = new Lazy<Task<ClusterSession>>(() => StartLocalSessionAsync(count, options, CancellationToken.None));
    }

    private ClusterExecutor(Func<ClusterExecutor, Task<ClusterSession>> start, int declaredWorkers)
    {
        _declaredWorkers = declaredWorkers;
        _session = new Lazy<Task<ClusterSession>>(() => start(this));
    }

    /// <summary>Starts a temporary local cluster of <paramref name="workers"/> worker processes (default: one per core) and waits until it serves tasks.</summary>
    public static async Task<ClusterExecutor> StartLocalAsync(int workers = 0, LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        var count = workers == 0 ? Environment.ProcessorCount : workers;
        options ??= new LocalClusterOptions();
        var executor = new ClusterExecutor(e => e.StartLocalSessionAsync(count, options, cancellationToken), count);
        await executor._session.Value.ConfigureAwait(false);
        return executor;
    }

    /// <summary>Connects to a running cluster (workers started with <c>dotnet Flows.Cluster.dll worker ...</c>) and waits for its workers.</summary>
    public static async Task<ClusterExecutor> ConnectAsync(ClusterConnectOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var executor = new ClusterExecutor(e => e.ConnectSessionAsync(options, cancellationToken), Math.Max(1, options.MinimumWorkers));
        await executor._session.Value.ConfigureAwait(false);
        return executor;
    }

    /// <inheritdoc />
    public override string Name => "cluster";

    /// <summary>Tasks the cluster runs at once: the workers' threads (as declared until the cluster has started).</summary>
    public override int MaxParallelism =>
        _session.IsValueCreated && _session.Value.IsCompletedSuccessfully ? Math.Max(1, _session.Value.Result.TotalThreads) : Math.Max(1, _declaredThreads > 0 ? _declaredThreads : _declaredWorkers);

    /// <summary>How long starting the local cluster (or connecting) took; zero until then.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>The workers now in the cluster: their keys (silo addresses).</summary>
    public IReadOnlyList<string> Workers =>
        _session.IsValueCreated && _session.Value.IsCompletedSuccessfully ? _session.Value.Result.Workers.Select(w => w.Key).ToList() : [];

    /// <summary>For a local cluster: the workers' process ids by key (empty for a connected cluster).</summary>
    public IReadOnlyDictionary<string, int> WorkerProcesses => (_backend as LocalCluster)?.WorkerProcesses ?? new Dictionary<string, int>();

    /// <summary>For a local cluster: the loopback gateway port another client can connect to, with the cluster id.</summary>
    public (int GatewayPort, string ClusterId)? LocalGateway => _backend is LocalCluster local ? (local.GatewayPort, local.ClusterId) : null;

    /// <summary>The session (for tests: its fault hooks).</summary>
    internal Task<ClusterSession> SessionAsync => _session.Value;

    /// <summary>
    /// For a local cluster that made its own secret (see <see cref="LocalClusterOptions.Authenticate"/>):
    /// what another client needs to connect to <see cref="LocalGateway"/>, as
    /// <see cref="ClusterConnectOptions.Secret"/>. Null for a connected cluster, one with
    /// <see cref="LocalClusterOptions.Tls"/> (connect with that), or one without authentication.
    /// Whoever holds it can run code in the workers: keep it in this process.
    /// </summary>
    public ClusterSecret? LocalSecret => (_backend as LocalCluster)?.Secret;

    /// <summary>The local cluster, for tests; null for a connected one.</summary>
    internal LocalCluster? Local => _backend as LocalCluster;

    /// <summary>
    /// Cluster membership: how many workers are active members now (<see cref="Workers"/>, kept in line with the
    /// cluster's membership every second and at once when a local worker's process exits), of how many are expected
    /// (a local cluster: the workers it started; a connected cluster: <see cref="ClusterConnectOptions.MinimumWorkers"/>).
    /// Healthy with all of them, Degraded with fewer (a local cluster replaces a dead worker on its own), Unhealthy
    /// with none, when the membership cannot be read (a connected client that lost its gateways), before the cluster
    /// is started (a cluster made with the constructor starts at its first run), while it starts, when it could not
    /// start, and once the executor is disposed. Asks the cluster nothing: it reports what the executor already knows.
    /// </summary>
    public override ValueTask<ExecutorHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Health());

    private ExecutorHealth Health()
    {
        var unhealthy = new ExecutorHealth(ExecutorHealthStatus.Unhealthy, "") { Workers = _declaredWorkers, Alive = 0 };
        if (_disposed)
        {
            return unhealthy with { Description = "The cluster executor is disposed: its cluster has stopped (or it has disconnected)." };
        }

        if (!_session.IsValueCreated)
        {
            return unhealthy with { Description = "The cluster executor is not started: a cluster made with new ClusterExecutor(...) starts at its first run (StartLocalAsync and ConnectAsync start it at once)." };
        }

        var opening = _session.Value;
        if (!opening.IsCompletedSuccessfully)
        {
            return unhealthy with
            {
                Description = opening.IsCompleted
                    ? $"The cluster could not start: {opening.Exception?.GetBaseException().Message ?? "the start was cancelled"}."
                    : $"The cluster is starting: waiting for {_declaredWorkers} worker(s).",
            };
        }

        var session = opening.Result;
        var active = session.Workers.Count;
        var health = unhealthy with { Alive = active };
        var text = $"{active} of {_declaredWorkers} cluster workers are active members";
        if (session.IsClosed)
        {
            return health with { Alive = 0, Description = "The cluster executor is disposed: its cluster has stopped (or it has disconnected)." };
        }

        if (session.MembershipError is { } error)
        {
            // What the last good read said is no longer known to hold: the count is unknown, not zero.
            return health with { Alive = null, Description = $"The cluster's membership cannot be read (is the client still connected?); {text} by the last good read: {error}" };
        }

        return active switch
        {
            0 => health with { Description = $"{text}: no task can run until a worker joins." },
            _ when active < _declaredWorkers => health with { Status = ExecutorHealthStatus.Degraded, Description = $"{text}; tasks run on fewer workers until the missing ones join." },
            _ => health with { Status = ExecutorHealthStatus.Healthy, Description = $"{text}." },
        };
    }

    /// <inheritdoc />
    protected internal override WorkDispatcher BeginRun() => new ClusterRunDispatcher(_session.Value);

    private Task<ClusterSession> StartLocalSessionAsync(int workers, LocalClusterOptions options, CancellationToken cancellationToken) =>
        OpenSessionAsync(
            async logger => await LocalCluster.StartAsync(workers, options, logger, cancellationToken).ConfigureAwait(false),
            new SessionSettings(workers, options.WorkerDeathsForgiven, options.ResponseTimeout ?? DefaultResponseTimeout, options.StartTimeout, options.LoggerFactory, WorkersReachStore: true),
            cancellationToken);

    private Task<ClusterSession> ConnectSessionAsync(ClusterConnectOptions options, CancellationToken cancellationToken) =>
        OpenSessionAsync(
            async _ => await ConnectedCluster.ConnectAsync(options, cancellationToken).ConfigureAwait(false),
            new SessionSettings(Math.Max(1, options.MinimumWorkers), options.WorkerDeathsForgiven, DefaultResponseTimeout, options.ConnectTimeout, options.LoggerFactory, options.WorkersReachStore),
            cancellationToken);

    /// <summary>Orleans' default response timeout, which connected clients keep.</summary>
    private static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Opens the backend, then waits for its workers; <see cref="StartTime"/> covers both.</summary>
    private async Task<ClusterSession> OpenSessionAsync(Func<ILogger, Task<IClusterBackend>> open, SessionSettings settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        StartTrace.Mark("flow: cluster executor opens");
        var logger = (settings.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Flows.Cluster");
        var backend = await open(logger).ConfigureAwait(false);
        _backend = backend;
        var session = new ClusterSession(backend, settings.WorkerDeathsForgiven, settings.ResponseTimeout, logger) { WorkersReachStore = settings.WorkersReachStore };
        try
        {
            await session.WaitForWorkersAsync(settings.Workers, settings.Timeout, cancellationToken).ConfigureAwait(false);
            StartTrace.Mark("flow: session sees the workers");
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            await backend.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        StartTime = Stopwatch.GetElapsedTime(started);
        return session;
    }

    private sealed record SessionSettings(int Workers, int WorkerDeathsForgiven, TimeSpan ResponseTimeout, TimeSpan Timeout, ILoggerFactory? LoggerFactory, bool WorkersReachStore);

    /// <summary>Stops the local cluster (or disconnects). Runs still in flight are not waited for.</summary>
    /// <returns>When the cluster has stopped.</returns>
    protected override async ValueTask DisposeAsyncCore()
    {
        _disposed = true;
        if (_session.IsValueCreated)
        {
            try
            {
                var session = await _session.Value.ConfigureAwait(false);
                await session.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // It never started; nothing to stop but what the backend holds.
            }
        }

        if (_backend is { } backend)
        {
            _backend = null;
            await backend.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsyncCore().AsTask().GetAwaiter().GetResult();
        }
    }
}
