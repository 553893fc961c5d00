using Flows.Graph;

namespace Flows.Bench;

/// <summary>A hand-built flow graph, its arguments, its task count and the result it must produce.</summary>
public sealed record BuiltGraph(FlowGraph Graph, object?[] Arguments, int Tasks, object Expected);

/// <summary>
/// The benchmark shapes as flow graphs, built with the runtime's graph API exactly as generated
/// code would build them: slots are parameters, then constants, then node i at FirstNodeSlot + i.
/// </summary>
public static class BenchGraphs
{
    /// <summary>N independent <c>inc(i)</c> task nodes, then one <c>sum</c> node over all of them (N + 1 tasks).</summary>
    public static BuiltGraph Fanout(int n, TaskDescriptor? inc = null)
    {
        inc ??= BenchTasks.IncTask;
        var constants = new object?[n];
        for (var i = 0; i < n; i++)
        {
            constants[i] = i;
        }

        var first = constants.Length; // no parameters
        var nodes = new List<FlowNode>(n + 1);
        var sumInputs = new int[n];
        for (var i = 0; i < n; i++)
        {
            nodes.Add(FlowNode.ForTask("inc" + i, inc, i));
            sumInputs[i] = first + i;
        }

        nodes.Add(FlowNode.ForTask("sum", BenchTasks.SumAllTask, sumInputs));
        var graph = new FlowGraph("fanout", [], constants, nodes, first + n);
        var expected = 0;
        for (var i = 0; i < n; i++)
        {
            expected = unchecked(expected + i + 1);
        }

        return new BuiltGraph(graph, [], n + 1, expected);
    }

    /// <summary>One Map node of <c>inc</c> over the int[] parameter, then a <c>sum</c> of the mapped array (N + 1 task runs).</summary>
    public static BuiltGraph FanoutMap(int n, TaskDescriptor? inc = null)
    {
        inc ??= BenchTasks.IncTask;
        var items = new int[n];
        var expected = 0;
        for (var i = 0; i < n; i++)
        {
            items[i] = i;
            expected = unchecked(expected + i + 1);
        }

        const int first = 1; // slot 0 is the parameter
        var nodes = new[]
        {
            FlowNode.ForMap("inc", inc, MapAdapter<int, int>.Instance, 0),
            FlowNode.ForTask("sum", BenchTasks.SumArrayTask, first),
        };
        var graph = new FlowGraph("fanout-map", ["items"], [], nodes, first + 1);
        return new BuiltGraph(graph, [items], n + 1, expected);
    }

    /// <summary>
    /// One TryMap node of <c>incOrFail</c> over the int[] parameter, with the int parameter
    /// <paramref name="failEvery"/> passed whole (one element in that many throws and becomes a failed
    /// outcome), then a <c>sumSucceeded</c> of the outcomes (N + 1 task runs); the run succeeds.
    /// </summary>
    public static BuiltGraph FanoutTryMap(int n, int failEvery)
    {
        var items = new int[n];
        var expected = 0;
        for (var i = 0; i < n; i++)
        {
            items[i] = i;
            if (!BenchTasks.Fails(i, failEvery))
            {
                expected = unchecked(expected + i + 1);
            }
        }

        const int first = 2; // slots 0 and 1 are the parameters
        var nodes = new[]
        {
            FlowNode.ForTryMap("incOrFail", BenchTasks.IncOrFailTask, TryMapAdapter<int, int>.Instance, 0, 1),
            FlowNode.ForTask("sumSucceeded", BenchTasks.SumSucceededTask, first),
        };
        var graph = new FlowGraph("trymap", ["items", "failEvery"], [], nodes, first + 1);
        return new BuiltGraph(graph, [items, failEvery], n + 1, expected);
    }

    /// <summary><c>x[i] = inc(x[i-1])</c>, strictly sequential (N tasks).</summary>
    public static BuiltGraph Chain(int n)
    {
        const int first = 1; // constant 0 in slot 0
        var nodes = new List<FlowNode>(n) { FlowNode.ForTask("inc0", BenchTasks.IncTask, 0) };
        for (var i = 1; i < n; i++)
        {
            nodes.Add(FlowNode.ForTask("inc" + i, BenchTasks.IncTask, first + i - 1));
        }

        var graph = new FlowGraph("chain", [], [0], nodes, first + n - 1);
        return new BuiltGraph(graph, [], n, n);
    }

    /// <summary>
    /// Width N x depth N grid: <c>x[d][j] = add(x[d-1][j], x[d-1][(j+1)%N])</c> (N² tasks). Every node
    /// runs, so the flow's output is one node of the last layer; the run ends when all are done.
    /// </summary>
    public static BuiltGraph Diamond(int n)
    {
        var constants = new object?[n];
        for (var j = 0; j < n; j++)
        {
            constants[j] = j;
        }

        var first = n;
        var nodes = new List<FlowNode>(n * n);
        var values = new int[n];
        for (var j = 0; j < n; j++)
        {
            nodes.Add(FlowNode.ForTask($"dia0_{j}", BenchTasks.IncTask, j));
            values[j] = j + 1;
        }

        for (var d = 1; d < n; d++)
        {
            var next = new int[n];
            for (var j = 0; j < n; j++)
            {
                var a = first + ((d - 1) * n) + j;
                var b = first + ((d - 1) * n) + ((j + 1) % n);
                nodes.Add(FlowNode.ForTask($"dia{d}_{j}", BenchTasks.Add2Task, a, b));
                next[j] = unchecked(values[j] + values[(j + 1) % n]);
            }

            values = next;
        }

        var graph = new FlowGraph("diamond", [], constants, nodes, first + ((n - 1) * n));
        return new BuiltGraph(graph, [], n * n, values[0]);
    }

    /// <summary>N <c>inc</c> leaves reduced pairwise by <c>add</c> (2N - 1 tasks for N a power of two).</summary>
    public static BuiltGraph Tree(int n)
    {
        var constants = new object?[n];
        for (var i = 0; i < n; i++)
        {
            constants[i] = i;
        }

        var first = n;
        var nodes = new List<FlowNode>(2 * n);
        var level = new List<(int Slot, int Value)>(n);
        for (var i = 0; i < n; i++)
        {
            level.Add((first + nodes.Count, i + 1));
            nodes.Add(FlowNode.ForTask($"leaf{i}", BenchTasks.IncTask, i));
        }

        var depth = 0;
        while (level.Count > 1)
        {
            depth++;
            var next = new List<(int Slot, int Value)>((level.Count + 1) / 2);
            for (var k = 0; k + 1 < level.Count; k += 2)
            {
                next.Add((first + nodes.Count, unchecked(level[k].Value + level[k + 1].Value)));
                nodes.Add(FlowNode.ForTask($"add{depth}_{k / 2}", BenchTasks.Add2Task, level[k].Slot, level[k + 1].Slot));
            }

            if (level.Count % 2 == 1)
            {
                next.Add((first + nodes.Count, level[^1].Value));
                nodes.Add(FlowNode.ForTask($"ident{depth}", BenchTasks.IdentTask, level[^1].Slot));
            }

            level = next;
        }

        var graph = new FlowGraph("tree", [], constants, nodes, level[0].Slot);
        return new BuiltGraph(graph, [], nodes.Count, level[0].Value);
    }

    /// <summary>N independent spin tasks of <paramref name="iters"/> iterations each (N tasks).</summary>
    public static BuiltGraph Cpu(int n, long iters)
    {
        var nodes = new List<FlowNode>(n);
        for (var i = 0; i < n; i++)
        {
            nodes.Add(FlowNode.ForTask("spin" + i, BenchTasks.SpinTask, 0));
        }

        var graph = new FlowGraph("cpu", [], [iters], nodes, 1 + n - 1);
        return new BuiltGraph(graph, [], n, SpinResult(iters));
    }

    private static readonly Dictionary<long, long> SpinResults = new();

    /// <summary>The spin result, computed once per iteration count (checked after the timed runs).</summary>
    public static long SpinResult(long iters)
    {
        lock (SpinResults)
        {
            if (!SpinResults.TryGetValue(iters, out var r))
            {
                r = BenchTasks.Spin(iters);
                SpinResults[iters] = r;
            }

            return r;
        }
    }

    /// <summary>N independent naps of <paramref name="ms"/> ms: blocking, or awaiting <c>Task.Delay</c> (N tasks).</summary>
    public static BuiltGraph Io(int n, int ms, bool async)
    {
        var task = async ? BenchTasks.NapAsyncTask : BenchTasks.NapTask;
        var nodes = new List<FlowNode>(n);
        for (var i = 0; i < n; i++)
        {
            nodes.Add(FlowNode.ForTask("nap" + i, task, 0));
        }

        var graph = new FlowGraph(async ? "io-async" : "io", [], [ms], nodes, 1 + n - 1);
        return new BuiltGraph(graph, [], n, 1);
    }

    /// <summary>N producers of an <paramref name="nbytes"/> double[] each, all read by one consumer (N + 1 tasks).</summary>
    public static BuiltGraph Data(int n, int nbytes)
    {
        // constants: nbytes, then the producer indices 0..n-1
        var constants = new object?[n + 1];
        constants[0] = nbytes;
        for (var i = 0; i < n; i++)
        {
            constants[i + 1] = i;
        }

        var first = constants.Length;
        var nodes = new List<FlowNode>(n + 1);
        var consumerInputs = new int[n];
        for (var i = 0; i < n; i++)
        {
            nodes.Add(FlowNode.ForTask("produce" + i, BenchTasks.ProduceTask, i + 1, 0));
            consumerInputs[i] = first + i;
        }

        nodes.Add(FlowNode.ForTask("consume", BenchTasks.ConsumeTask, consumerInputs));
        var graph = new FlowGraph("data", [], constants, nodes, first + n);
        var elements = nbytes / sizeof(double);
        double expected = 0;
        for (var i = 0; i < n; i++)
        {
            expected += (elements * sizeof(double)) + ((double)elements * i);
        }

        return new BuiltGraph(graph, [], n + 1, expected);
    }
}
