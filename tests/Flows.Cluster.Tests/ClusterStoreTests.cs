using System.Buffers;
using Flows.Graph;
using K = Flows.Cluster.Tests.ClusterTasks;
using S = Flows.Cluster.Tests.ClusterStoreTasks;

namespace Flows.Cluster.Tests;

/// <summary>
/// Durable runs on a cluster: workers of a local cluster keep the results they make in the run's
/// store themselves (results do not travel through the flow process to be checkpointed), look the
/// cache up there, and report a store they cannot write without failing the task; a connected
/// cluster whose workers are not known to reach the store sends those results back instead.
/// Tasks count their runs in files, so counts hold across worker processes.
/// </summary>
public sealed class ClusterStoreTests : IDisposable
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    private readonly string _dir = Directory.CreateTempSubdirectory("flows-cluster-store-").FullName;

    private readonly string _storeDir = Directory.CreateTempSubdirectory("flows-cluster-store-db-").FullName;

    public void Dispose()
    {
        Scratch.ReleaseAndDelete(_dir);
        try
        {
            Directory.Delete(_storeDir, recursive: true);
        }
        catch (IOException)
        {
            // A worker still holds the store open; the temp folder is cleaned later.
        }
    }

    [Fact]
    public async Task A_resume_restores_what_the_workers_checkpointed_and_reruns_only_the_failed_task()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        using var store = FlowStore.Open(_storeDir);
        var g = new TestGraph("resume-on-cluster");
        var dir = g.Constant(_dir);
        var x = g.Task(K.Produce, dir, g.Constant(1));
        var y = g.Task(K.Produce, dir, g.Constant(2));
        var sum = g.Task(Tasks.Add, x, y);
        var graph = Durable(g.Build(g.Task(S.FailIf, dir, sum)));

        Scratch.Signal(_dir, "fail");
        var failed = await FlowRunner.RunAsync<int>(graph, executor, [], new FlowRunOptions { Store = store, RunId = "r1" }).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, failed.State);
        Assert.Null(failed.StoreError);
        Assert.Equal(3, store.FindRun("r1")!.Checkpoints);

        File.Delete(Path.Combine(_dir, "fail"));
        var resumed = await FlowRunner.ResumeAsync<int>(graph, executor, "r1", new FlowRunOptions { Store = store }).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, resumed.State);
        Assert.Equal(31, resumed.Result);
        foreach (var earlier in resumed.Tasks.Where(t => t.Name != "FailIf"))
        {
            Assert.True(earlier.Restored, earlier.Name);
            Assert.Equal(0, earlier.Attempts);
        }

        var last = Assert.Single(resumed.Tasks, t => t.Name == "FailIf");
        Assert.False(last.Restored);
        Assert.Equal(1, last.Attempts);
        Assert.Equal(1, Scratch.Count(_dir, "produced.1.*"));
        Assert.Equal(1, Scratch.Count(_dir, "produced.2.*"));
    }

    [Fact]
    public async Task Checkpointing_does_not_move_results_through_the_flow_process()
    {
        const int Length = 250_000;
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        using var store = FlowStore.Open(_storeDir);
        var graph = Durable(LargeIntermediate(Length));

        var plain = await FlowRunner.RunAsync<int>(graph, executor, []).WaitAsync(Patience);
        var stored = await FlowRunner.RunAsync<int>(graph, executor, [], new FlowRunOptions { Store = store, RunId = "big" }).WaitAsync(Patience);

        Assert.Equal(2 * Length, plain.Result);
        Assert.Equal(2 * Length, stored.Result);
        Assert.Null(stored.StoreError);
        Assert.InRange(plain.BytesMoved, 1, 200);
        Assert.InRange(stored.BytesMoved, 1, plain.BytesMoved);

        // Both results were kept all the same, the million-byte array as a file of its own.
        Assert.Equal(2, store.FindRun("big")!.Checkpoints);
        Assert.Single(Directory.GetFiles(Path.Combine(_storeDir, "blobs"), "*.bin"));
    }

    [Fact]
    public async Task A_cached_task_runs_once_and_the_second_run_takes_its_result_from_the_cache_on_a_worker()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        using var store = FlowStore.Open(_storeDir);

        // The cached task reads a result kept on a worker: the worker computes the cache key.
        var g = new TestGraph("cached-on-cluster");
        var dir = g.Constant(_dir);
        var p = g.Task(K.Produce, dir, g.Constant(1));
        var graph = Durable(g.Build(g.Task(S.CachedProduce, dir, p)));

        var first = await FlowRunner.RunAsync<int>(graph, executor, [], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        var second = await FlowRunner.RunAsync<int>(graph, executor, [], new FlowRunOptions { Store = store }).WaitAsync(Patience);

        Assert.Equal(100, first.Result);
        Assert.Equal(100, second.Result);
        Assert.Equal(TaskState.Succeeded, Assert.Single(first.Tasks, t => t.Name == "CachedProduce").State);
        Assert.Equal(TaskState.Cached, Assert.Single(second.Tasks, t => t.Name == "CachedProduce").State);
        Assert.Equal(2, Scratch.Count(_dir, "produced.1.*"));
        Assert.Equal(1, Scratch.Count(_dir, "produced.10.*"));
        Assert.Null(second.StoreError);
    }

    [Fact]
    public async Task A_store_a_worker_cannot_write_is_the_runs_StoreError_and_the_task_still_succeeds()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        using var store = FlowStore.Open(_storeDir);

        // A first run opens the store on the worker; then its blobs folder becomes a file, so that a
        // large result (written as a file of its own) cannot be kept.
        var warm = new TestGraph("warm");
        var small = await FlowRunner.RunAsync<int>(Durable(warm.Build(warm.Task(Tasks.Add, warm.Constant(1), warm.Constant(2)))), executor, [], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        Assert.Null(small.StoreError);
        var blobs = Path.Combine(_storeDir, "blobs");
        Directory.Delete(blobs, recursive: true);
        File.WriteAllText(blobs, "not a folder");

        var run = await FlowRunner.RunAsync<int>(Durable(LargeIntermediate(100_000)), executor, [], new FlowRunOptions { Store = store }).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(200_000, run.Result);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
        var error = Assert.IsType<FlowStoreException>(run.StoreError);
        Assert.Equal(store.Path, error.StorePath);
        Assert.Contains("could not keep its result", error.Message, StringComparison.Ordinal);
        Assert.Contains(store.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connected_cluster_by_default_sends_stored_results_back_and_the_flow_process_writes_them()
    {
        const int Length = 250_000;
        await using var local = await ClusterExecutor.StartLocalAsync(workers: 1);
        var (port, clusterId) = local.LocalGateway!.Value;
        await using var executor = await ClusterExecutor.ConnectAsync(new ClusterConnectOptions { Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, Secret = local.LocalSecret });
        using var store = FlowStore.Open(_storeDir);

        // The large intermediate result comes back to be kept, and a resume restores it.
        var graph = Durable(LargeIntermediate(Length));
        var stored = await FlowRunner.RunAsync<int>(graph, executor, [], new FlowRunOptions { Store = store, RunId = "back" }).WaitAsync(Patience);
        Assert.Equal(2 * Length, stored.Result);
        Assert.Null(stored.StoreError);
        Assert.True(stored.BytesMoved >= 4L * Length, $"moved {stored.BytesMoved}");
        Assert.Equal(2, store.FindRun("back")!.Checkpoints);
        var resumed = await FlowRunner.ResumeAsync<int>(graph, executor, "back", new FlowRunOptions { Store = store }).WaitAsync(Patience);
        Assert.Equal(2 * Length, resumed.Result);
        Assert.All(resumed.Tasks, t => Assert.True(t.Restored, t.Name));

        // A cached task whose inputs are here is looked up here.
        var g = new TestGraph("cached-here");
        var cached = Durable(g.Build(g.Task(S.CachedProduce, g.Constant(_dir), g.Constant(7))));
        var first = await FlowRunner.RunAsync<int>(cached, executor, [], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        var second = await FlowRunner.RunAsync<int>(cached, executor, [], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        Assert.Equal(70, first.Result);
        Assert.Equal(70, second.Result);
        Assert.Equal(TaskState.Cached, Assert.Single(second.Tasks).State);
        Assert.Equal(1, Scratch.Count(_dir, "produced.7.*"));
    }

    /// <summary>A million-byte array read only by a task that runs where it was made (one worker), which returns a number.</summary>
    private static FlowGraph LargeIntermediate(int length)
    {
        var g = new TestGraph("large-intermediate");
        var ones = g.Task(K.Ones, g.Constant(length));
        return g.Build(g.Task(K.Lengths, ones, ones));
    }

    /// <summary>The graph with the arguments codec generated code gives a flow (none of these flows takes an argument): a stored run of it can be resumed.</summary>
    private static FlowGraph Durable(FlowGraph graph)
    {
        typeof(FlowGraph).GetProperty(nameof(FlowGraph.ArgumentsCodec))!.SetValue(graph, NoArguments.Instance);
        return graph;
    }

    private sealed class NoArguments : IFlowArgumentsCodec
    {
        public static readonly NoArguments Instance = new();

        public void Write(object?[] arguments, IBufferWriter<byte> output)
        {
        }

        public object?[] Read(ReadOnlySpan<byte> input) => [];
    }
}
