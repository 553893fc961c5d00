using System.Diagnostics;
using Flows.Graph;
using K = Flows.Cluster.Tests.ClusterTasks;

namespace Flows.Cluster.Tests;

/// <summary>
/// A worker's death is charged only to the request that was running on it: those queued behind it
/// go to the replacement without an attempt used. A real local cluster, its worker killed with SIGKILL.
/// </summary>
public sealed class ClusterWorkerDeathChargeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flows-charge-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    [Fact]
    public async Task Only_the_running_request_is_charged_a_worker_death_queued_ones_keep_their_first_attempt()
    {
        // No death forgiven: a charged request crashes its attempt and uses its retry.
        var options = new LocalClusterOptions { ThreadsPerWorker = 1, WorkerDeathsForgiven = 0 };
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1, options);
        var g = new TestGraph("charge");
        var dir = g.Constant(_dir);
        var w = Enumerable.Range(1, 4).Select(i => g.Task(K.WaitThenIncRetried, dir, g.Constant(i))).ToArray();
        var total = g.Task(Tasks.Add, g.Task(Tasks.Add, w[0], w[1]), g.Task(Tasks.Add, w[2], w[3]));
        var running = FlowRunner.RunAsync<int>(g.Build(total), executor, []);

        // One runs on the worker's only thread, three wait in its queue: kill it.
        await Scratch.WaitForCountAsync(_dir, "waiting.*", 1, Scratch.Patience);
        var victim = Assert.Single(executor.WorkerProcesses.Values);
        Process.GetProcessById(victim).Kill();
        Scratch.Signal(_dir, "go");
        var run = await running.WaitAsync(Scratch.Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(2 + 3 + 4 + 5, run.Result);
        var attempts = run.Tasks.Where(t => t.Name.StartsWith("WaitThenIncRetried", StringComparison.Ordinal)).Select(t => t.Attempts).Order().ToArray();
        Assert.Equal([1, 1, 1, 2], attempts);
    }
}
