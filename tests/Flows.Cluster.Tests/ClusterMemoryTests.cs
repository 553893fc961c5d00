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
    private const long Limit = 400L << 20;

    private readonly string _dir = Directory.CreateTempSubdirectory("flows-memory-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    private static Task<ClusterExecutor> StartAsync(int threads = 1) =>
        ClusterExecutor.StartLocalAsync(workers: 1, new LocalClusterOptions { ThreadsPerWorker = threads, WorkerMemoryLimit = Limit });

    [Fact]
    public async Task Results_past_the_target_are_spilled_and_read_back_and_the_run_says_how_many_bytes()
    {
        await using var executor = await StartAsync(threads: 2);
        var g = new TestGraph("spill");

        // The readers wait for the test: every block is held (300 MB, past the target of 240) before one is read.
        var gate = g.Task(M.Hold, g.Constant(_dir), g.Constant(0));
        var blocks = Enumerable.Range(1, 10).Select(i => g.Task(M.Block, g.Constant(30), g.Constant(i))).ToArray();
        var checks = blocks.Select(b => g.Task(M.CheckAfter, b, gate)).ToArray();
        var total = checks.Aggregate((a, b) => g.Task(Tasks.Add, a, b));
        var listener = new MemoryEventsListener();
        var running = FlowRunner.RunAsync<int>(g.Build(total), executor, [], new FlowRunOptions { Listeners = [listener] });

        var spilled = await listener.FirstAsync<WorkerSpilled>();
        Scratch.Signal(_dir, Scratch.Release);
        var run = await running.WaitAsync(Scratch.Patience);

        Assert.True(run.State == FlowState.Succeeded, Describe(run));
        Assert.Equal(Enumerable.Range(1, 10).Sum() + (10 * 30 * 1000), run.Result);
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
        var held = g.Task(M.Hold, g.Constant(_dir), g.Constant(230));

        // Queued behind the pause: it starts once the worker resumed.
        var after = g.Task(M.Check, g.Task(M.Block, g.Constant(1), held));
        var listener = new MemoryEventsListener();
        var running = FlowRunner.RunAsync<int>(g.Build(after), executor, [], new FlowRunOptions { Listeners = [listener] });

        var paused = await listener.FirstAsync<WorkerPaused>();
        Assert.True(paused.ProcessMemory > Limit * 8 / 10, $"paused at {paused.ProcessMemory}");
        Scratch.Signal(_dir, Scratch.Release);
        var resumed = await listener.FirstAsync<WorkerResumed>();
        var run = await running.WaitAsync(Scratch.Patience);

        Assert.True(run.State == FlowState.Succeeded, Describe(run));
        Assert.Equal(230 + 1000, run.Result);
        Assert.True(resumed.ProcessMemory <= Limit * 8 / 10, $"resumed at {resumed.ProcessMemory}");
        Assert.True(resumed.Sequence > paused.Sequence);
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

        Assert.True(run.State == FlowState.Succeeded, Describe(run));
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

        Assert.True(run.State == FlowState.Failed, Describe(run));
        var task = Assert.Single(run.Tasks);
        Assert.Equal(TaskState.Crashed, task.State);
        Assert.Equal(2, task.Attempts);
        var error = Assert.IsType<TaskCrashedException>(task.Exception);
        Assert.True(error.Message.Contains("LocalClusterOptions.WorkerMemoryLimit", StringComparison.Ordinal), error.Message);
        Assert.Contains("Unbounded", error.Message, StringComparison.Ordinal);
        Assert.Contains("400 MiB memory limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalClusterOptions.WorkerMemoryLimit", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, run.WorkerMemory.Restarts);
    }

    private static string Describe(FlowRun run) =>
        $"{run.State}: {run.WorkerMemory}; " + string.Join("; ", run.Tasks.Where(t => t.Exception is not null).Select(t => $"{t.Name} {t.State} x{t.Attempts}: {t.Exception!.Message}"));
}
