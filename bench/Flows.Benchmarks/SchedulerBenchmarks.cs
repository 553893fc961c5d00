using BenchmarkDotNet.Attributes;
using Flows.Bench;
using Flows.Graph;

namespace Flows.Benchmarks;

/// <summary>
/// The scheduler's cost per task on trivial tasks: one flow run per invocation, reported per task
/// (OperationsPerInvoke = the shape's task count), so Mean and Allocated read as "per task".
/// Graphs are built once (generated code builds them once, statically); executors are started once.
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private const int FanoutN = 10_000;
    private const int FanoutTasks = FanoutN + 1;
    private const int ChainN = 2_000;
    private const int DiamondN = 100;
    private const int DiamondTasks = DiamondN * DiamondN;

    private BuiltGraph _fanout = null!;
    private BuiltGraph _chain = null!;
    private BuiltGraph _diamond = null!;
    private LocalExecutor _local = null!;
    private ThreadExecutor _threads = null!;
    private TplShapes _tpl = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fanout = BenchGraphs.Fanout(FanoutN);
        _chain = BenchGraphs.Chain(ChainN);
        _diamond = BenchGraphs.Diamond(DiamondN);
        _local = new LocalExecutor();
        _threads = new ThreadExecutor(numWorkers: 2);
        _tpl = TplShapes.Limited(2);
        Check(Run(_fanout, _threads), _fanout);
        Check(Run(_chain, _threads), _chain);
        Check(Run(_diamond, _threads), _diamond);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _threads.Dispose();
        _local.Dispose();
    }

    private static object Run(BuiltGraph g, FlowExecutor executor) =>
        FlowRunner.RunAsync<object>(g.Graph, executor, g.Arguments).GetAwaiter().GetResult().Result;

    private static void Check(object result, BuiltGraph g)
    {
        if (!Equals(result, g.Expected))
        {
            throw new InvalidOperationException($"{g.Graph.Name}: got {result}, expected {g.Expected}");
        }
    }

    [Benchmark(OperationsPerInvoke = FanoutTasks)]
    [BenchmarkCategory("fanout")]
    public object Fanout_Local() => Run(_fanout, _local);

    [Benchmark(OperationsPerInvoke = FanoutTasks)]
    [BenchmarkCategory("fanout")]
    public object Fanout_Threads2() => Run(_fanout, _threads);

    [Benchmark(OperationsPerInvoke = FanoutTasks)]
    [BenchmarkCategory("fanout")]
    public int Fanout_Tpl2() => _tpl.Fanout(FanoutN);

    [Benchmark(OperationsPerInvoke = ChainN)]
    [BenchmarkCategory("chain")]
    public object Chain_Local() => Run(_chain, _local);

    [Benchmark(OperationsPerInvoke = ChainN)]
    [BenchmarkCategory("chain")]
    public object Chain_Threads2() => Run(_chain, _threads);

    [Benchmark(OperationsPerInvoke = ChainN)]
    [BenchmarkCategory("chain")]
    public int Chain_Tpl2() => _tpl.Chain(ChainN);

    [Benchmark(OperationsPerInvoke = DiamondTasks)]
    [BenchmarkCategory("diamond")]
    public object Diamond_Local() => Run(_diamond, _local);

    [Benchmark(OperationsPerInvoke = DiamondTasks)]
    [BenchmarkCategory("diamond")]
    public object Diamond_Threads2() => Run(_diamond, _threads);

    [Benchmark(OperationsPerInvoke = DiamondTasks)]
    [BenchmarkCategory("diamond")]
    public int Diamond_Tpl2() => _tpl.Diamond(DiamondN);
}
