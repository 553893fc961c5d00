using System.Collections.Concurrent;
using System.Net;
using Flows.Cluster.Hosting;
using Flows.Cluster.Protocol;
using Flows.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>
/// A temporary cluster on this machine, like Dask's LocalCluster: a silo inside the flow process
/// holds the membership (like Dask's scheduler) and runs no tasks; N worker processes join it on
/// loopback. Workers end with the flow process, and a dead worker is replaced.
/// </summary>
internal sealed class LocalCluster : IClusterBackend
{
    private readonly LocalClusterOptions _options;
    private readonly WorkerHostLaunch _launch;
    private readonly SemaphoreSlim _membershipWrites = new(1, 1);
    private IHost? _silo;
    private readonly string _clusterId;
    private readonly IPEndPoint _primary;
    private readonly int _threads;
    private readonly long _memoryLimit;
    private readonly ClusterTlsOptions? _tls;
    private readonly ClusterSecret? _secret;
    private readonly ConcurrentDictionary<WorkerProcessHandle, string?> _workers = new();
    private readonly ConcurrentDictionary<string, bool> _exited = new();
    private readonly ILogger _logger;
    private volatile bool _disposing;
    private int _replacements;

    private LocalCluster(LocalClusterOptions options, int workers, ILogger logger)
    {
        _options = options;
        _launch = FindWorkerHost(options.DotnetPath);
        _logger = logger;
        _threads = options.ThreadsFor(workers);
        _memoryLimit = options.MemoryLimitFor(workers);
        _clusterId = "flows-local-" + Guid.NewGuid().ToString("N")[..12];
        _primary = new IPEndPoint(IPAddress.Loopback, FreePorts.Next());
        GatewayPort = FreePorts.Next();
        // The user's TLS, or else (unless told otherwise) a secret made for this cluster alone, which
        // every connection proves first. Workers get either as the first line on their stdin, never
        // on a command line, in the environment or in a file.
        if (options.Tls is { } tls)
        {
            _tls = tls;
        }
        else if (options.Authenticate)
        {
            _secret = ClusterSecret.Create();
        }
    }

    /// <summary>
    /// Builds the membership silo (not started). A start launches the workers first: building a silo
    /// takes this process a few hundred milliseconds of CPU that the workers' own start overlaps.
    /// </summary>
    private void BuildMembershipSilo()
    {
        var builder = new HostBuilder();
        builder.ConfigureLogging(logging => logging.ClearProviders());
        builder.ConfigureServices(services => services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>());
        builder.UseOrleans(silo => SiloSetup.Configure(silo, new SiloSpec
        {
            SiloName = MembershipReader.MembershipSiloPrefix + Environment.ProcessId,
            ClusterId = _clusterId,
            Advertise = IPAddress.Loopback,
            SiloPort = _primary.Port,
            GatewayPort = GatewayPort,
            Primary = _primary,
            Tls = _tls,
            Secret = _secret,
            LocalFailureDetection = true,
            ResponseTimeout = _options.ResponseTimeout,
        }));
        _silo = builder.Build();
        Grains = _silo.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; private set; } = null!;

    /// <summary>The gateway of the membership silo: where another client may connect to this cluster.</summary>
    public int GatewayPort { get; }

    public string ClusterId => _clusterId;

    /// <summary>The silo port of the membership silo, where workers join (for tests).</summary>
    public int SiloPort => _primary.Port;

    /// <summary>The secret every silo and client of this cluster proves; null with <see cref="LocalClusterOptions.Tls"/> or <see cref="LocalClusterOptions.Authenticate"/> off.</summary>
    public ClusterSecret? Secret => _secret;

    public event Action<string, string>? WorkerDied;

    public event Action? WorkersChanged;

    public static async Task<LocalCluster> StartAsync(int workers, LocalClusterOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        StartTrace.Mark("flow: local cluster starts");
        var cluster = new LocalCluster(options, workers, logger);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.StartTimeout);

            // The worker processes start first, and load while this process builds and starts its silo;
            // each waits at its gate before it contacts the membership (see JoinGate).
            var started = new List<WorkerProcessHandle>();
            for (var i = 0; i < workers; i++)
            {
                started.Add(cluster.StartWorker(joinNow: false)!);
            }

            StartTrace.Mark("flow: workers launched");
            try
            {
                cluster.BuildMembershipSilo();
                StartTrace.Mark("flow: membership silo built");
                await cluster._silo!.StartAsync(limit.Token).ConfigureAwait(false);
                StartTrace.Mark("flow: membership silo started");
                _ = cluster.WarmUpAsync(worker: null);
                await Task.WhenAll(started.Select(worker => cluster.JoinAsync(worker, limit.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The local cluster did not start {workers} worker(s) within {options.StartTimeout.TotalSeconds:0.#} s " +
                    $"({started.Count(w => w.Ready.IsCompletedSuccessfully)} were ready). The machine may be overloaded: start fewer workers or raise LocalClusterOptions.StartTimeout.");
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Lets a started worker into the running cluster: it joins (connects, reads the membership) at once,
    /// alongside any other, and writes itself into the membership when no other worker does (see
    /// <see cref="JoinGate"/>). Completes when it serves tasks; fails if it exits first.
    /// </summary>
    private async Task JoinAsync(WorkerProcessHandle worker, CancellationToken cancellationToken)
    {
        await worker.Built.WaitAsync(cancellationToken).ConfigureAwait(false);
        worker.TellToJoin();
        await worker.MembershipRead.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _membershipWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            StartTrace.Mark($"flow: worker {worker.ProcessId} enters");
            worker.TellToEnter();
            var key = await worker.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            StartTrace.Mark($"flow: worker {worker.ProcessId} ready");
            _ = WarmUpAsync(key);
        }
        finally
        {
            _membershipWrites.Release();
        }
    }

    /// <summary>
    /// Makes, while other workers still join, the first calls a session makes once they all have: the
    /// membership read (null <paramref name="worker"/>) and a ready worker's description. A first call
    /// activates a grain and compiles its path; a later session's call finds both done.
    /// </summary>
    private async Task WarmUpAsync(string? worker)
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            if (worker is null)
            {
                _ = await MembershipReader.ActiveWorkersAsync(Grains, limit.Token).ConfigureAwait(false);
            }
            else
            {
                _ = await Grains.GetGrain<IWorkerGrain>(worker).Describe().WaitAsync(limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Only a head start: the session makes these calls itself, and reports what fails.
        }
    }

    /// <summary>Joins a replacement worker; its failures are the watcher's to report.</summary>
    private async Task JoinReplacementAsync(WorkerProcessHandle worker)
    {
        try
        {
            using var limit = new CancellationTokenSource(_options.StartTimeout);
            await JoinAsync(worker, limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // It exited (its watcher reports it and replaces it), or it did not join in time: it stays
            // outside the membership, where no task is sent to it.
            if (ex is OperationCanceledException && !_disposing)
            {
                _logger.LogWarning("Flows local cluster: a replacement worker did not join within {Seconds:0.#} s", _options.StartTimeout.TotalSeconds);
            }
        }
    }

    private WorkerProcessHandle? StartWorker(bool joinNow)
    {
        if (_disposing)
        {
            return null;
        }

        var start = _launch.CreateStartInfo(WorkerRuntimeSettings);
        foreach (var argument in new[]
        {
            "worker", "--allow-load-by-path", "--exit-with-parent", "--local-failure-detection", "--join-when-told",
            "--cluster-id", _clusterId, "--primary", _primary.ToString(), "--advertise", "127.0.0.1",
            "--silo-port", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway-port", "0",
            "--threads", _threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--memory-limit", _memoryLimit == 0 ? "none" : _memoryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (_options.AbandonedPerThread is { } abandoned)
        {
            start.ArgumentList.Add("--abandoned-per-thread");
            start.ArgumentList.Add(abandoned.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (_options.ResponseTimeout is { } responseTimeout)
        {
            start.ArgumentList.Add("--response-timeout-ms");
            start.ArgumentList.Add(((int)responseTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        string? credentialLine = null;
        if (_secret is not null)
        {
            start.ArgumentList.Add(StdinSecret.Option);
            credentialLine = StdinSecret.Line(_secret);
        }
        else if (_tls is not null)
        {
            start.ArgumentList.Add(StdinCertificate.Option);
            credentialLine = StdinCertificate.Line(_tls.Certificate);
        }

        // The worker must not inherit a Redis, Kubernetes or TLS setting meant for another cluster.
        foreach (var variable in new[] { "FLOWS_REDIS", "FLOWS_KUBERNETES", "FLOWS_ASSEMBLY", "FLOWS_SERVICE_ID", "FLOWS_TLS_CERTIFICATE", "FLOWS_TLS_PASSWORD", "FLOWS_TLS_PASSWORD_ENV", "FLOWS_INSECURE", "FLOWS_MEMORY_LIMIT" })
        {
            start.Environment.Remove(variable);
        }

        var worker = new WorkerProcessHandle(start, credentialLine);
        _workers[worker] = null;
        if (_disposing)
        {
            // The cluster began stopping meanwhile: its disposal may already have passed this worker by.
            worker.Kill();
        }

        _ = WatchAsync(worker);
        if (joinNow)
        {
            _ = JoinReplacementAsync(worker);
        }

        return worker;
    }

    private async Task WatchAsync(WorkerProcessHandle worker)
    {
        string? key = null;
        try
        {
            key = await worker.Ready.ConfigureAwait(false);
            _workers[worker] = key;
            WorkersChanged?.Invoke();
        }
        catch (InvalidOperationException)
        {
            // Exited before it was ready: reported below.
        }

        await worker.Exited.ConfigureAwait(false);
        _workers.TryRemove(worker, out _);
        if (_disposing)
        {
            worker.Dispose();
            return;
        }

        var cause = worker.Describe();
        worker.Dispose();

        // A killed worker could not delete its shared-memory files; its results are recomputed anyway.
        Flows.Workers.SharedMemory.RemoveStale();
        _logger.LogWarning("Flows local cluster: worker {Worker} died: {Cause}", key ?? "(starting)", cause);
        if (key is not null)
        {
            _exited[key] = true;
            WorkerDied?.Invoke(key, cause);
            _ = DeclareDeadAsync(key);
        }

        // Replace it, as a cluster manager would; a worker that keeps dying is not replaced forever.
        if (_options.ReplaceDeadWorkers && Interlocked.Increment(ref _replacements) <= 100)
        {
            StartWorker(joinNow: true);
        }
    }

    /// <summary>
    /// Tells the cluster's membership that a worker whose process exited is dead, rather than leave it
    /// to probes (which give a silent silo about 30 s): other silos stop calling it, and a replacement
    /// joins without waiting on it.
    /// </summary>
    private async Task DeclareDeadAsync(string key)
    {
        try
        {
            var membership = _silo!.Services.GetRequiredService<IClusterMembershipService>();
            await membership.TryKill(SiloAddress.FromParsableString(key)).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_disposing)
        {
            _logger.LogWarning(ex, "Flows local cluster: could not declare the exited worker {Worker} dead; membership probes will", key);
        }
        catch (Exception)
        {
            // Stopping: the membership goes with the cluster.
        }
    }

    /// <summary>
    /// A worker silo runs with every worker's GC settings, and also keeps the pages of freed large arrays
    /// (results of megabytes come and go) and skips the instrumented JIT tier (workers start often and live briefly).
    /// </summary>
    private static readonly Dictionary<string, string> WorkerRuntimeSettings = new(WorkerHostLaunch.WorkerGcSettings)
    {
        ["DOTNET_GCRetainVM"] = "1",
        ["DOTNET_TieredPGO"] = "0",
    };

    private static WorkerHostLaunch FindWorkerHost(string? dotnetPath)
    {
#pragma warning disable IL3000 // A single-file app has no path; the message below says what to do.
        var path = typeof(LocalCluster).Assembly.Location;
#pragma warning restore IL3000
        if (string.IsNullOrEmpty(path))
        {
            throw new InvalidOperationException("Flows.Cluster is not a file on disk (a single-file app): a local cluster starts its workers from Flows.Cluster.dll. Publish without PublishSingleFile.");
        }

        if (!File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
        {
            throw new FileNotFoundException(
                $"A local cluster starts its workers as `dotnet exec {path}`, which needs Flows.Cluster.runtimeconfig.json beside it. " +
                "The Flows.Cluster package's build targets put it there: reference the Flows.Cluster package (`dotnet add package Flows.Cluster`) from the project that runs the flow, " +
                "do not set <FlowsCopyWorkerHosts>false</FlowsCopyWorkerHosts> in it, and rebuild.",
                Path.ChangeExtension(path, ".runtimeconfig.json"));
        }

        return WorkerHostLaunch.For(path, dotnetPath);
    }

    public bool? IsWorkerProcessAlive(string key)
    {
        foreach (var (worker, workerKey) in _workers)
        {
            if (workerKey == key)
            {
                return !worker.HasExited;
            }
        }

        return false;
    }

    /// <summary>Process ids of the live workers (for tests and diagnostics).</summary>
    public IReadOnlyDictionary<string, int> WorkerProcesses =>
        _workers.Where(w => w.Value is not null && !w.Key.HasExited).ToDictionary(w => w.Value!, w => w.Key.ProcessId);

    public async Task<IReadOnlyList<string>> ListWorkersAsync(CancellationToken cancellationToken)
    {
        var keys = await MembershipReader.ActiveWorkersAsync(Grains, cancellationToken).ConfigureAwait(false);

        // Membership may still list a worker whose process this cluster saw exit.
        return keys.Where(k => !_exited.ContainsKey(k)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        var killed = _workers.Keys.ToList();
        foreach (var worker in killed)
        {
            worker.Kill();
        }

        if (_silo is null)
        {
            // The start failed before the membership silo was built.
            return;
        }

        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _silo.StopAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Stopping fast matters more than a graceful leave: the workers are gone anyway.
        }

        _silo.Dispose();

        // Killed workers leave their shared-memory folders (SharedResultFiles) behind: removed once they have exited.
        try
        {
            await Task.WhenAll(killed.Select(ExitOf)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        Flows.Workers.SharedMemory.RemoveStale();
    }

    /// <summary>A killed worker's exit; one already disposed (its watcher saw it exit) has exited.</summary>
    private static async Task ExitOf(WorkerProcessHandle worker)
    {
        try
        {
            await worker.Exited.ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
