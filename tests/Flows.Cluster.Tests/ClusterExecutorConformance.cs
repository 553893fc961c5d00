using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Tests;

/// <summary>
/// Local clusters for <see cref="ClusterExecutorConformance"/>, started once per class: real worker
/// processes (Orleans silos) on loopback, one worker and two.
/// </summary>
public sealed class ClusterExecutorFixture : IAsyncLifetime
{
    public ClusterExecutor One { get; private set; } = null!;

    public ClusterExecutor Two { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var starting = new[] { ClusterExecutor.StartLocalAsync(workers: 1), ClusterExecutor.StartLocalAsync(workers: 2) };
        var started = await Task.WhenAll(starting).WaitAsync(TimeSpan.FromSeconds(90));
        (One, Two) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        await One.DisposeAsync();
        await Two.DisposeAsync();
    }
}

/// <summary>
/// The suite on a local cluster: tasks run in worker silos, results stay on the workers, and an
/// asynchronous task gives its thread back while it waits.
/// </summary>
public sealed class ClusterExecutorConformance(ClusterExecutorFixture fixture) : ExecutorConformanceTests, IClassFixture<ClusterExecutorFixture>
{
    protected override FlowExecutor Create(int workers) => workers switch
    {
        1 => fixture.One,
        2 => fixture.Two,
        _ => throw new ArgumentOutOfRangeException(nameof(workers), workers, "The fixture has local clusters of 1 and 2 workers."),
    };

    protected override bool RunsInParallel => true;

    protected override bool AbandonsHungSyncCode => true;

    protected override bool AsyncTasksReleaseTheirWorker => true;

    protected override bool RunsTasksInAnotherProcess => true;

    /// <summary>The executors belong to the fixture.</summary>
    protected override void Retire(FlowExecutor executor)
    {
    }

    /// <summary>
    /// A new local cluster of two one-thread workers, one of them killed (and seen lost) before
    /// the run: the replacement the cluster starts joins while the run's work waits.
    /// </summary>
    protected override async Task<FlowExecutor?> ExecutorWithALateWorkerAsync()
    {
        var log = new ListLoggerProvider();
        var loggers = LoggerFactory.Create(logging => logging.AddProvider(log));
        var executor = await ClusterExecutor.StartLocalAsync(workers: 2, new LocalClusterOptions { ThreadsPerWorker = 1, LoggerFactory = loggers });
        var lost = log.WaitForAsync(line => line.Message.Contains("is lost", StringComparison.Ordinal), Scratch.Patience);
        using (var victim = System.Diagnostics.Process.GetProcessById(executor.WorkerProcesses.Values.First()))
        {
            victim.Kill();
        }

        await lost;
        return executor;
    }
}
