using Flows.Graph;

namespace Flows.Bench;

/// <summary>
/// The three-stage chained map of issue 16 (and bench/dask_memory.py's <c>mapchain</c>): make an array of
/// <c>nbytes</c> per element, add one to it (a new array of the same size), sum it, then one sum of the
/// sums. As a flow body: <c>Total(Flow.Map(Sum, Flow.Map(AddOne, Flow.Map(Make, ids, nbytes))))</c>; the
/// generator marks the second and third maps as reading the map before them element by element
/// (<see cref="FlowNode.ReadingElementsOf"/>), so the run holds a bounded number of arrays at once.
/// </summary>
public static class MapChainShape
{
    private static object? InvokeMake(in TaskArguments a, CancellationToken ct) => Make(a.Get<int>(0), a.Get<int>(1));

    private static object? InvokeAddOne(in TaskArguments a, CancellationToken ct) => AddOne(a.Get<double[]>(0));

    private static object? InvokeSum(in TaskArguments a, CancellationToken ct) => Sum(a.Get<double[]>(0));

    private static object? InvokeTotal(in TaskArguments a, CancellationToken ct) => Sum(a.Get<double[]>(0));

    public static readonly TaskDescriptor MakeTask = new("Flows.Bench.MapChainShape.Make", "make", InvokeMake, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor AddOneTask = new("Flows.Bench.MapChainShape.AddOne", "addOne", InvokeAddOne, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor SumTask = new("Flows.Bench.MapChainShape.Sum", "sum", InvokeSum, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor TotalTask = new("Flows.Bench.MapChainShape.Total", "total", InvokeTotal, codec: BenchCodec.Instance);

    public static readonly TaskDescriptor[] Tasks = [MakeTask, AddOneTask, SumTask, TotalTask];

    public static double[] Make(int i, int nbytes)
    {
        var a = GC.AllocateUninitializedArray<double>(nbytes / sizeof(double));
        a.AsSpan().Fill(i);
        return a;
    }

    public static double[] AddOne(double[] a)
    {
        var b = GC.AllocateUninitializedArray<double>(a.Length);
        for (var i = 0; i < a.Length; i++)
        {
            b[i] = a[i] + 1.0;
        }

        return b;
    }

    public static double Sum(double[] a)
    {
        double s = 0;
        foreach (var v in a)
        {
            s += v;
        }

        return s;
    }

    /// <summary>
    /// The graph; <paramref name="chained"/> false leaves out the generator's marks, so the maps run
    /// breadth-first as before chains were known (every array of a stage held before the next starts).
    /// </summary>
    public static BuiltGraph Build(int n, int nbytes, bool chained = true)
    {
        var ids = new int[n];
        double expected = 0;
        var elements = nbytes / sizeof(double);
        for (var i = 0; i < n; i++)
        {
            ids[i] = i;
            expected += (i + 1.0) * elements;
        }

        // slot 0: the ids (parameter); slot 1: nbytes (constant); node k at slot 2 + k
        const int first = 2;
        var make = FlowNode.ForMap("make", MakeTask, MapAdapter<int, double[]>.Instance, 0, 1);
        var addOne = FlowNode.ForMap("addOne", AddOneTask, MapAdapter<double[], double[]>.Instance, first);
        var sum = FlowNode.ForMap("sum", SumTask, MapAdapter<double[], double>.Instance, first + 1);
        var nodes = new[]
        {
            make,
            chained ? addOne.ReadingElementsOf(0) : addOne,
            chained ? sum.ReadingElementsOf(1) : sum,
            FlowNode.ForTask("total", TotalTask, first + 2),
        };
        var graph = new FlowGraph("mapchain", ["ids"], [nbytes], nodes, first + 3);
        return new BuiltGraph(graph, [ids], (3 * n) + 1, expected);
    }
}
