using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Flows.Cluster.Protocol;
using Flows.Cluster.Worker;
using Flows.Graph;
using K = Flows.Cluster.Tests.ClusterTasks;

namespace Flows.Cluster.Tests;

/// <summary>
/// What only a cluster does: results kept on workers, recovery from a worker killed mid-run, long
/// tasks, TLS, Redis membership and the build handshake. Every cluster here is real: worker
/// processes on loopback. Tests await files and runs, never sleep. The Redis tests skip where
/// there is no Redis (<see cref="RedisServerFixture"/>).
/// </summary>
public sealed class ClusterExecutorTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    private readonly string _dir = Directory.CreateTempSubdirectory("flows-cluster-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    [Fact]
    public async Task A_worker_killed_mid_run_costs_nothing_but_time_its_task_moves_and_its_lost_result_is_recomputed()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var g = new TestGraph("kill-mid-run");
        var dir = g.Constant(_dir);
        var x = g.Task(K.Produce, dir, g.Constant(1));
        var y = g.Task(K.Produce, dir, g.Constant(2));
        var z = g.Task(K.WaitThenInc, dir, x);
        var total = g.Task(Tasks.Add, z, y);
        var running = FlowRunner.RunAsync<int>(g.Build(total), executor, []);

        // z runs where x was made (its input is there); kill that worker while z blocks.
        var waiting = await WaitForMatchAsync(_dir, "waiting.*");
        var victim = int.Parse(Path.GetFileName(waiting).Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(victim, executor.WorkerProcesses.Values);
        File.Delete(waiting);
        Process.GetProcessById(victim).Kill();
        var moved = await WaitForMatchAsync(_dir, "waiting.*");
        Assert.NotEqual(waiting, moved);
        Scratch.Signal(_dir, "go");
        var run = await running.WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(11 + 20, run.Result);

        // x was lost with the worker and made again elsewhere; y, on the survivor, was not.
        var produced = Directory.GetFiles(_dir, "produced.*").Select(Path.GetFileName).ToList();
        Assert.Equal(2, produced.Count(f => f!.StartsWith("produced.1.", StringComparison.Ordinal)));
        Assert.Single(produced, f => f!.StartsWith("produced.2.", StringComparison.Ordinal));
        Assert.Contains(produced, f => f!.StartsWith($"produced.1.{victim}.", StringComparison.Ordinal));
        var zRun = Assert.Single(run.Tasks, t => t.Name == "WaitThenInc");
        Assert.Equal(1, zRun.Attempts);
    }

    [Fact]
    public async Task A_task_that_keeps_killing_workers_ends_Crashed_after_its_retries_with_the_cause()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var g = new TestGraph("poison");
        var p = g.Task(K.Poison, g.Constant("from the test"));
        var events = new RecordedEvents();
        var run = await FlowRunner.RunAsync<int>(g.Build(p), executor, [], new FlowRunOptions { Listeners = [events] }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(FlowState.Failed, run.State);
        var task = Assert.Single(run.Tasks);
        Assert.Equal(TaskState.Crashed, task.State);
        Assert.Equal(["start 1", "retry 1 Crashed", "start 2", "end Crashed 2"], events.Stories()[task.Name]);
        Assert.Equal(2, task.Attempts);
        var crash = Assert.IsType<TaskCrashedException>(task.Exception);
        Assert.Contains("poison task from the test", crash.Cause, StringComparison.Ordinal);
        Assert.Contains("workers died while running it", crash.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_that_reads_one_result_twice_counts_as_one_reader()
    {
        // x is read by y (twice) and by z, which runs only after y: x must still be there for z,
        // not freed when y finished and then made again.
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var g = new TestGraph("read-twice");
        var x = g.Task(K.Produce, g.Constant(_dir), g.Constant(1));
        var y = g.Task(Tasks.Add, x, x);
        var z = g.Task(Tasks.Add, y, x);
        var run = await FlowRunner.RunAsync<int>(g.Build(z), executor, []).WaitAsync(Patience);

        Assert.Equal(30, run.Result);
        Assert.Single(Directory.GetFiles(_dir, "produced.1.*"));
    }

    [Fact]
    public async Task A_task_longer_than_Orleans_response_timeout_completes()
    {
        // Every silo gives up on a call after 1 s here; the task takes 3 s. Outcomes come back by
        // polling, so no call ever waits for a task.
        var options = new LocalClusterOptions { ResponseTimeout = TimeSpan.FromSeconds(1) };
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1, options);
        var g = new TestGraph("long");
        var s = g.Task(K.Sleep, g.Constant(3000));
        var run = await FlowRunner.RunAsync<int>(g.Build(s), executor, []).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(3000, run.Result);
    }

    [Fact]
    public async Task Results_stay_on_their_worker_and_only_what_a_task_elsewhere_needs_moves()
    {
        const int Length = 250_000;
        await using var two = await ClusterExecutor.StartLocalAsync(workers: 2);
        await using var one = await ClusterExecutor.StartLocalAsync(workers: 1);
        var g = new TestGraph("bytes");
        var a = g.Task(K.Ones, g.Constant(Length));
        var b = g.Task(K.Ones, g.Constant(Length));
        var graph = g.Build(g.Task(K.Lengths, a, b));

        // On one worker nothing but the tiny inputs and the 4-byte result crosses a process boundary.
        var alone = await FlowRunner.RunAsync<int>(graph, one, []).WaitAsync(Patience);
        Assert.Equal(2 * Length, alone.Result);
        Assert.InRange(alone.BytesMoved, 1, 200);

        // On two, the producers run side by side and one array (4 bytes per element) moves to the other.
        var apart = await FlowRunner.RunAsync<int>(graph, two, []).WaitAsync(Patience);
        Assert.Equal(2 * Length, apart.Result);
        Assert.InRange(apart.BytesMoved, 4L * Length, (4L * Length) + 200);
    }

    [Fact]
    public async Task With_TLS_the_cluster_runs_flows_and_a_client_without_the_certificate_is_refused()
    {
        using var certificate = SelfSigned("flows-cluster");
        var tls = new ClusterTlsOptions { Certificate = certificate };
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1, new LocalClusterOptions { Tls = tls });
        var g = new TestGraph("tls");
        var graph = g.Build(g.Task(Tasks.Add, g.Constant(2), g.Constant(3)));
        Assert.Equal(5, (await FlowRunner.RunAsync<int>(graph, executor, []).WaitAsync(Patience)).Result);

        // A client with the certificate connects through the cluster's gateway and runs the flow.
        var (port, clusterId) = executor.LocalGateway!.Value;
        await using (var client = await ClusterExecutor.ConnectAsync(new ClusterConnectOptions { Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, Tls = tls }))
        {
            Assert.Equal(5, (await FlowRunner.RunAsync<int>(graph, client, []).WaitAsync(Patience)).Result);
        }

        // One without TLS, or with another certificate, does not get in.
        await Assert.ThrowsAnyAsync<Exception>(() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
        {
            Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(5),
        }));
        using var stranger = SelfSigned("stranger");
        await Assert.ThrowsAnyAsync<Exception>(() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
        {
            Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(5),
            Tls = new ClusterTlsOptions { Certificate = stranger },
        }));
    }

    [SkippableFact]
    public async Task Workers_started_with_the_documented_command_join_through_Redis_and_run_flows()
    {
        Skip.If(redis.Unavailable is not null, redis.Unavailable);
        using var cluster = new RedisWorkers(await redis.AddressAsync(), 2);
        await using var executor = await cluster.ConnectAsync();
        Assert.Equal(2, executor.Workers.Count);
        var g = new TestGraph("redis", "xs");
        var squares = g.Map(ConformanceTasks.Square, MapAdapter<int, int>.Instance, g.P(0));
        var sum = g.Task(ConformanceTasks.Sum, squares);
        var run = await FlowRunner.RunAsync<int>(g.Build(sum), executor, [Enumerable.Range(1, 100).ToArray()]).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 100).Sum(x => x * x), run.Result);
    }

    [Fact]
    public async Task A_worker_exits_when_its_flow_process_goes_away_even_before_it_joined()
    {
        // No cluster to join: the worker waits at its gate, as a local cluster's worker does.
        var built = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var worker = StartWorkerProcess(
            line =>
            {
                if (line == Cluster.Hosting.WorkerCommand.BuiltLine)
                {
                    built.TrySetResult();
                }
            },
            "--allow-load-by-path", "--exit-with-parent", "--join-when-told", "--primary", "127.0.0.1:1", "--advertise", "127.0.0.1",
            "--silo-port", Cluster.Client.FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway-port", "0");
        try
        {
            await built.Task.WaitAsync(Patience);

            // What the death of the flow process does to the pipe.
            worker.StandardInput.Close();
            await worker.WaitForExitAsync().WaitAsync(Patience);
            Assert.True(worker.HasExited);
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
            }
        }
    }

    [SkippableFact]
    public async Task On_a_connected_cluster_a_killed_worker_is_noticed_and_its_task_moves_to_a_survivor()
    {
        Skip.If(redis.Unavailable is not null, redis.Unavailable);
        using var cluster = new RedisWorkers(await redis.AddressAsync(), 2);
        await using var executor = await cluster.ConnectAsync();
        var g = new TestGraph("connected-kill");
        var graph = g.Build(g.Task(K.WaitThenInc, g.Constant(_dir), g.Constant(1)));
        var running = FlowRunner.RunAsync<int>(graph, executor, []);
        var waiting = await WaitForMatchAsync(_dir, "waiting.*");
        var victim = int.Parse(Path.GetFileName(waiting).Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(waiting);
        cluster.Kill(victim);
        var moved = await WaitForMatchAsync(_dir, "waiting.*");
        Assert.NotEqual($"waiting.{victim}", Path.GetFileName(moved));
        Scratch.Signal(_dir, "go");
        var run = await running.WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(2, run.Result);
        Assert.Single(executor.Workers);
    }

    [Fact]
    public void A_worker_refuses_another_build_of_the_assembly_and_an_assembly_it_does_not_hold()
    {
        var path = typeof(ClusterTasks).Assembly.Location;
        var catalog = new TaskCatalog(new WorkerSettings { Assemblies = [path] });
        var name = typeof(ClusterTasks).Assembly.GetName().Name!;

        Assert.Null(catalog.Prepare([new AssemblyBuild { Name = name, Build = typeof(ClusterTasks).Assembly.ManifestModule.ModuleVersionId }], "w"));
        Assert.Contains("another build", catalog.Prepare([new AssemblyBuild { Name = name, Build = Guid.NewGuid() }], "w"), StringComparison.Ordinal);
        Assert.Contains("start it with --assembly", catalog.Prepare([new AssemblyBuild { Name = "Other.Pipelines", Build = Guid.NewGuid(), Path = path }], "w"), StringComparison.Ordinal);
        Assert.NotNull(catalog.Find(K.Produce.Id));
    }

    /// <summary>Waits for a file matching <paramref name="pattern"/> to appear and returns its path.</summary>
    private static async Task<string> WaitForMatchAsync(string directory, string pattern)
    {
        var appeared = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(directory, pattern);
        watcher.Created += (_, e) => appeared.TrySetResult(e.FullPath);
        watcher.EnableRaisingEvents = true;
        if (Directory.GetFiles(directory, pattern).FirstOrDefault() is { } existing)
        {
            return existing;
        }

        return await appeared.Task.WaitAsync(Patience);
    }

    /// <summary>Worker processes started with the documented command, registered in Redis under a cluster id of their own.</summary>
    private sealed class RedisWorkers : IDisposable
    {
        private readonly string _redis;
        private readonly string _clusterId = "flows-test-" + Guid.NewGuid().ToString("N")[..8];
        private readonly List<Process> _workers = [];

        public RedisWorkers(string redis, int count)
        {
            _redis = redis;
            for (var i = 0; i < count; i++)
            {
                _workers.Add(Start());
            }
        }

        public Task<ClusterExecutor> ConnectAsync() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
        {
            Redis = _redis, ClusterId = _clusterId, MinimumWorkers = _workers.Count, ConnectTimeout = TimeSpan.FromSeconds(60),
        });

        public void Kill(int processId) => _workers.Single(w => w.Id == processId).Kill();

        public void Dispose()
        {
            foreach (var worker in _workers)
            {
                if (!worker.HasExited)
                {
                    worker.Kill(entireProcessTree: true);
                }

                worker.Dispose();
            }
        }

        /// <summary>The flows run tasks of two assemblies, this one's and the conformance suite's (Flows.Runtime.Tests): the worker holds both.</summary>
        private Process Start() => StartWorkerProcess(
            null,
            "--assembly", typeof(ClusterTasks).Assembly.Location, "--assembly", typeof(ConformanceTasks).Assembly.Location, "--redis", _redis, "--cluster-id", _clusterId,
            "--advertise", "127.0.0.1", "--silo-port", Cluster.Client.FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", Cluster.Client.FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--exit-with-parent");
    }

    /// <summary>Starts <c>dotnet Flows.Cluster.dll worker OPTIONS</c>, the documented command, with its output read (and seen by <paramref name="onOutput"/>).</summary>
    private static Process StartWorkerProcess(Action<string>? onOutput, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Flows.Cluster.dll"));
        start.ArgumentList.Add("worker");
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        var process = new Process { StartInfo = start };
        if (onOutput is not null)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    onOutput(line);
                }
            };
        }

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Exported and loaded again, so that the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
