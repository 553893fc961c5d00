using Flows.Graph;
using K = Flows.Cluster.Tests.ClusterTasks;

namespace Flows.Cluster.Tests;

/// <summary>
/// A task that ignores its token keeps its worker thread after it timed out or was cancelled: the
/// worker restores its capacity with a new thread that stays, and recycles its process once too
/// many threads are stuck. Real local clusters; every wait is bounded and fails loudly.
/// </summary>
public sealed class ClusterStuckTaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flows-stuck-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    /// <summary>Three short tasks: on a one-thread worker they need its thread three times.</summary>
    private static FlowGraph ThreeSleeps(string name)
    {
        var g = new TestGraph(name);
        var a = g.Task(K.Sleep, g.Constant(10));
        var b = g.Task(K.Sleep, g.Constant(20));
        var c = g.Task(K.Sleep, g.Constant(30));
        return g.Build(g.Task(Tasks.Add, g.Task(Tasks.Add, a, b), c));
    }

    [Fact]
    public async Task After_a_timed_out_task_that_ignores_its_token_the_worker_runs_every_task_queued_behind_it()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1, new LocalClusterOptions { ThreadsPerWorker = 1 });
        var g = new TestGraph("deaf-timeout");
        var deaf = await FlowRunner.RunAsync<int>(g.Build(g.Task(K.DeafTimedOut, g.Constant(_dir))), executor, []).WaitAsync(Scratch.Patience);
        Assert.Equal(TaskState.TimedOut, Assert.Single(deaf.Tasks).State);

        // The deaf task still holds the worker's only thread. Before, the replacement thread ran one
        // task and retired, and the second of these never ran.
        for (var round = 0; round < 2; round++)
        {
            // Bounded by the suite's patience, not a tighter figure: under a full CI run on 2 cores one took over 15 s.
            var run = await FlowRunner.RunAsync<int>(ThreeSleeps($"after-timeout-{round}"), executor, []).WaitAsync(Scratch.Patience);
            Assert.Equal(FlowState.Succeeded, run.State);
            Assert.Equal(60, run.Result);
        }
    }

    [Fact]
    public async Task After_cancelling_a_run_of_tasks_that_ignore_their_token_the_executor_runs_the_next_run_at_once()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2, new LocalClusterOptions { ThreadsPerWorker = 1 });
        var g = new TestGraph("deaf-cancel");
        var dir = g.Constant(_dir);
        var graph = g.Build(g.Task(Tasks.Add, g.Task(K.Deaf, dir), g.Task(K.Deaf, dir)));
        using var cts = new CancellationTokenSource();
        var running = FlowRunner.RunAsync<int>(graph, executor, [], cancellationToken: cts.Token);
        await Scratch.WaitForCountAsync(_dir, "deaf.*", 2, Scratch.Patience);
        cts.Cancel();
        var cancelled = await running.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(FlowState.Cancelled, cancelled.State);

        // Both workers' only threads are still stuck in the deaf tasks.
        var started = DateTime.UtcNow;
        var next = await FlowRunner.RunAsync<int>(ThreeSleeps("after-cancel"), executor, []).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(FlowState.Succeeded, next.State);
        Assert.Equal(60, next.Result);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task A_worker_with_more_stuck_threads_than_it_keeps_is_recycled_and_the_cluster_goes_on()
    {
        // A worker that keeps no stuck thread at all exits at the first one; the local cluster replaces it.
        var options = new LocalClusterOptions { ThreadsPerWorker = 1, AbandonedPerThread = 0 };
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1, options);
        var before = Assert.Single(executor.WorkerProcesses.Values);
        var g = new TestGraph("deaf-recycle");
        var deaf = await FlowRunner.RunAsync<int>(g.Build(g.Task(K.DeafTimedOut, g.Constant(_dir))), executor, []).WaitAsync(Scratch.Patience);
        Assert.Equal(TaskState.TimedOut, Assert.Single(deaf.Tasks).State);

        // The worker exits by itself (its exit code, TaskHost.TooManyStuckThreadsExitCode, is only visible to its parent).
        using var exited = System.Diagnostics.Process.GetProcessById(before);
        await exited.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));

        var run = await FlowRunner.RunAsync<int>(ThreeSleeps("after-recycle"), executor, []).WaitAsync(Scratch.Patience);
        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(60, run.Result);
        Assert.DoesNotContain(before, executor.WorkerProcesses.Values);
    }
}
