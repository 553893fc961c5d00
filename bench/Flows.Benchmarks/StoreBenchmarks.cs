using BenchmarkDotNet.Attributes;
using Flows.Bench;
using Flows.Graph;

namespace Flows.Benchmarks;

/// <summary>
/// What a store costs a run: the fanout of trivial tasks on two threads with and without a store
/// (every result checkpointed: the difference per task is a checkpoint's amortised cost), the same
/// fanout when every task is a cache hit, and one task producing 8 MiB with and without a store (the
/// difference is the time to write 8 MiB). One flow run per invocation; per-task figures divide by the
/// task count (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int FanoutN = 10_000;
    private const int FanoutTasks = FanoutN + 1;

    private BuiltGraph _fanout = null!;
    private BuiltGraph _cachedFanout = null!;
    private BuiltGraph _data = null!;
    private ThreadExecutor _threads = null!;
    private string _folder = null!;
    private FlowStore _store = null!;
    private FlowRunOptions _withStore = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fanout = BenchGraphs.Fanout(FanoutN);
        _cachedFanout = BenchGraphs.Fanout(FanoutN, BenchTasks.IncCachedTask);
        _data = BenchGraphs.Data(1, 8 << 20);
        _threads = new ThreadExecutor(numWorkers: 2);
        _folder = Path.Combine(Path.GetTempPath(), "flows-store-bench-" + Environment.ProcessId);
        _store = FlowStore.Open(_folder);
        _withStore = new FlowRunOptions { Store = _store };
        Run(_cachedFanout, _withStore); // fills the cache: every later run hits it
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _threads.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private object Run(BuiltGraph g, FlowRunOptions? options)
    {
        var run = FlowRunner.RunAsync<object>(g.Graph, _threads, g.Arguments, options).GetAwaiter().GetResult();
        return run.StoreError is { } error ? throw error : run.Result;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FanoutTasks)]
    public object Fanout_no_store() => Run(_fanout, null);

    [Benchmark(OperationsPerInvoke = FanoutTasks)]
    public object Fanout_checkpointed() => Run(_fanout, _withStore);

    [Benchmark(OperationsPerInvoke = FanoutTasks)]
    public object Fanout_all_cache_hits() => Run(_cachedFanout, _withStore);

    [Benchmark]
    public object Data_8MiB_no_store() => Run(_data, null);

    [Benchmark]
    public object Data_8MiB_checkpointed() => Run(_data, _withStore);
}
