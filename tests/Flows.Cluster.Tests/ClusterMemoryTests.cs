using Flows.Graph;
using M = Flows.Cluster.Tests.ClusterMemoryTasks;

namespace Flows.Cluster.Tests;

/// <summary>
/// Workers with a memory limit, on real local clusters of one worker with one thread: results held
/// past the target are spilled and read back, a worker past its pause fraction starts nothing new until
/// it is back under, and a worker past its terminate fraction restarts, its task Crashed with the cause
/// and what it held recomputed.
/// </summary>
public sealed class ClusterMemoryTests : IDisposable
{
    private const long Limit = 300L << 20;

    private readonly string _dir = Directory.CreateTempSubdirectory("flows-memory-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    private static Task<ClusterExecutor> StartAsync(int threads = 1) =>
        ClusterExecutor.StartLocalAsync(workers: 1, new LocalClusterOptions { ThreadsPerWorker = threads, WorkerMemoryLimit = Limit });

    [Fact]
    public async Task Results_past_the_target_are_spilled_and_read_back_and_the_run_says_how_many_bytes()
    {
        await using var executor = await StartAsync();
        var g = new TestGraph("spill");
        var blocks = Enumerable.Range(1, 8).Select(i => g.Task(M.Block, g.Constant(30), g.Constant(i))).ToArray();
        var checks = blocks.Select(b => g.Task(M.Check, b)).ToArray();
        var total = checks.Aggregate((a, b) => g.Task(Tasks.Add, a, b));
        var listener = new MemoryEventsListener();

        var run = await FlowRunner.RunAsync<int>(g.Build(total), executor, [], new FlowRunOptions { Listeners = [listener] }).WaitAsync(Scratch.Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(Enumerable.Range(1, 8).Sum() + (8 * 30 * 1000), run.Result);
        var spilled = await listener.FirstAsync<WorkerSpilled>();
        Assert.True(spilled.Bytes >= 30L << 20, $"spilled {spilled.Bytes} bytes");
        Assert.Null(spilled.Error);
        Assert.Equal(Limit, spilled.MemoryLimit);
        Assert.True(run.WorkerMemory.BytesSpilled >= 30L << 20, run.WorkerMemory.ToString());
        Assert.True(run.WorkerMemory.BytesReadBack >= 30L << 20, run.WorkerMemory.ToString());
        Assert.True(run.WorkerMemory.SpillCount >= 1, run.WorkerMemory.ToString());
        Assert.Equal(0, run.WorkerMemory.Restarts);
        Assert.Equal(Limit, run.WorkerMemory.WorkerMemoryLimit);
    }

    [Fact]
    public async Task A_worker_past_its_pause_fraction_pauses_and_resumes_when_its_task_lets_go()
    {
        await using var executor = await StartAsync(threads: 2);
        var g = new TestGraph("pause");
        var held = g.Task(M.Hold, g.Constant(_dir), g.Constant(220));
        var listener = new MemoryEventsListener();
        var running = FlowRunner.RunAsync<int>(g.Build(held), executor, [], new FlowRunOptions { Listeners = [listener] });

        var paused = await listener.FirstAsync<WorkerPaused>();
        Assert.True(paused.ProcessMemory > Limit * 8 / 10, $"paused at {paused.ProcessMemory}");
        Scratch.Signal(_dir, Scratch.Release);
        var resumed = await listener.FirstAsync<WorkerResumed>();
        var run = await running.WaitAsync(Scratch.Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(220, run.Result);
        Assert.True(resumed.ProcessMemory <= Limit * 8 / 10, $"resumed at {resumed.ProcessMemory}");
        Assert.True(run.WorkerMemory.Pauses >= 1, run.WorkerMemory.ToString());
    }

    [Fact]
    public async Task A_worker_past_its_terminate_fraction_restarts_and_what_it_held_is_recomputed()
    {
        await using var executor = await StartAsync();
        var g = new TestGraph("terminate");
        var block = g.Task(M.Block, g.Constant(30), g.Constant(5));
        var grown = g.Task(M.GrowOnce, g.Constant(_dir));
        var checkedAfter = g.Task(M.CheckAfter, block, grown);
        var listener = new MemoryEventsListener();

        var run = await FlowRunner.RunAsync<int>(g.Build(checkedAfter), executor, [], new FlowRunOptions { Listeners = [listener] }).WaitAsync(Scratch.Patience * 2);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(5 + 30_000 + 7, run.Result);
        var grow = Assert.Single(run.Tasks, t => t.Name.StartsWith("GrowOnce", StringComparison.Ordinal));
        Assert.Equal(2, grow.Attempts);
        var restarted = await listener.FirstAsync<WorkerRestarted>();
        Assert.StartsWith("GrowOnce", restarted.TaskName);
        Assert.Contains("memory limit", restarted.Cause, StringComparison.Ordinal);
        Assert.Equal(1, run.WorkerMemory.Restarts);

        // The block was held by the worker that restarted: made again for its reader.
        Assert.True(run.Tasks.Single(t => t.Name.StartsWith("Block", StringComparison.Ordinal)).State == TaskState.Succeeded);
    }

    [Fact]
    public async Task A_task_that_allocates_without_bound_ends_Crashed_with_the_cause_after_its_retry()
    {
        await using var executor = await StartAsync();
        var g = new TestGraph("unbounded");
        var grown = g.Task(M.Unbounded, g.Constant(1));

        var run = await FlowRunner.RunAsync<int>(g.Build(grown), executor, []).WaitAsync(Scratch.Patience * 2);

        Assert.Equal(FlowState.Failed, run.State);
        var task = Assert.Single(run.Tasks);
        Assert.Equal(TaskState.Crashed, task.State);
        Assert.Equal(2, task.Attempts);
        var error = Assert.IsType<TaskCrashedException>(task.Exception);
        Assert.Contains("Unbounded", error.Message, StringComparison.Ordinal);
        Assert.Contains("300 MiB memory limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalClusterOptions.WorkerMemoryLimit", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, run.WorkerMemory.Restarts);
    }
}
