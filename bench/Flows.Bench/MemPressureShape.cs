using System.Diagnostics;
using System.Globalization;
using System.Text;
using Flows.Graph;

namespace Flows.Bench;

/// <summary>
/// The <c>mempressure</c> shape (issue 16): on a local cluster of W workers with a memory limit each
/// (<c>--memory-limit</c>, 512 MiB by default), N producers of a 50 MB double[] (<c>--mb</c>), each read by one
/// consumer that returns a number, then a sum. Three forms (<c>--form</c>), as a flow body may write it:
/// <list type="bullet">
/// <item><c>plain</c>: N producer calls, N consumer calls, one sum of the N numbers;</item>
/// <item><c>held</c>: the consumers in a chain (each also takes the previous one's number), so that the producers
/// run far ahead and their results pile up on the workers: the form that makes them spill;</item>
/// <item><c>map</c>: <c>Flow.Map(Produce, ids, nbytes)</c>, then <c>Flow.Map(Consume, produced)</c>, then a sum: a chain the generator marks, so it runs depth-first (<see cref="FlowNode.ReadingElementsOf"/>).</item>
/// </list>
/// Reported: wall time, bytes spilled and read back (<see cref="FlowRun.WorkerMemory"/>), each worker's peak
/// resident memory (VmHWM of its process, read at the end) against its limit, and whether every peak stayed
/// within 110 % of it.
/// </summary>
public static class MemPressureShape
{
    public const string DefaultForm = "held";

    public static readonly string[] Forms = ["plain", "held", "map"];

    public static readonly TaskDescriptor ConsumeOneTask = new("Flows.Bench.MemPressureShape.ConsumeOne", "consume", static (in TaskArguments a, CancellationToken _) => ConsumeOne(a.Get<double[]>(0)), codec: BenchCodec.Instance);

    public static readonly TaskDescriptor ConsumeAfterTask = new("Flows.Bench.MemPressureShape.ConsumeAfter", "consume", static (in TaskArguments a, CancellationToken _) => ConsumeOne(a.Get<double[]>(0)) + a.Get<double>(1), codec: BenchCodec.Instance);

    public static readonly TaskDescriptor SumTask = new("Flows.Bench.MemPressureShape.Sum", "sum", static (in TaskArguments a, CancellationToken _) =>
    {
        double total = 0;
        for (var i = 0; i < a.Count; i++)
        {
            total += a.Get<double>(i);
        }

        return total;
    }, codec: BenchCodec.Instance);

    public static readonly TaskDescriptor SumArrayTask = new("Flows.Bench.MemPressureShape.SumArray", "sum", static (in TaskArguments a, CancellationToken _) => a.Get<double[]>(0).Sum(), codec: BenchCodec.Instance);

    /// <summary>The shape's own tasks (the bench registry serves them too).</summary>
    public static readonly TaskDescriptor[] Tasks = [ConsumeOneTask, ConsumeAfterTask, SumTask, SumArrayTask];

    /// <summary>Its length in bytes plus the sum of its elements, as the data shape's consumer counts one blob.</summary>
    public static double ConsumeOne(double[] blob) => BenchTasks.Consume([blob]);

    public static BuiltGraph Build(string form, int n, int nbytes)
    {
        var elements = nbytes / sizeof(double);
        double expected = 0;
        for (var i = 0; i < n; i++)
        {
            expected += (elements * sizeof(double)) + ((double)elements * i);
        }

        if (form == "map")
        {
            // slot 0: the ids (parameter); slot 1: nbytes (constant); nodes from slot 2.
            var ids = Enumerable.Range(0, n).ToArray();
            var mapNodes = new[]
            {
                FlowNode.ForMap("produce", BenchTasks.ProduceTask, MapAdapter<int, double[]>.Instance, 0, 1),
                FlowNode.ForMap("consume", ConsumeOneTask, MapAdapter<double[], double>.Instance, 2).ReadingElementsOf(0), // as the generator marks a chain
                FlowNode.ForTask("sum", SumArrayTask, 3),
            };
            return new BuiltGraph(new FlowGraph("mempressure-map", ["ids"], [nbytes], mapNodes, 4), [ids], (2 * n) + 1, expected);
        }

        // constants: nbytes, 0.0, then the producer indices 0..n-1; nodes: n producers, n consumers, the sum.
        var constants = new object?[n + 2];
        constants[0] = nbytes;
        constants[1] = 0.0;
        for (var i = 0; i < n; i++)
        {
            constants[i + 2] = i;
        }

        var first = constants.Length;
        var nodes = new List<FlowNode>((2 * n) + 1);
        for (var i = 0; i < n; i++)
        {
            nodes.Add(FlowNode.ForTask("produce" + i, BenchTasks.ProduceTask, i + 2, 0));
        }

        var consumers = new int[n];
        for (var i = 0; i < n; i++)
        {
            consumers[i] = first + n + i;
            nodes.Add(form == "held"
                ? FlowNode.ForTask("consume" + i, ConsumeAfterTask, first + i, i == 0 ? 1 : consumers[i - 1])
                : FlowNode.ForTask("consume" + i, ConsumeOneTask, first + i));
        }

        var output = first + (2 * n);
        if (form == "held")
        {
            // The chain's last number is already the sum: the sum task adds it to nothing.
            nodes.Add(FlowNode.ForTask("sum", SumTask, consumers[n - 1]));
        }
        else
        {
            nodes.Add(FlowNode.ForTask("sum", SumTask, consumers));
        }

        return new BuiltGraph(new FlowGraph("mempressure-" + form, [], constants, nodes, output), [], (2 * n) + 1, expected);
    }

    /// <summary>Starts the cluster, runs the shape --repeat times, and fills the record.</summary>
    public static void Run(string form, int n, int nbytes, int workers, long limit, int repeat, SortedDictionary<string, object?> rec, StringBuilder notes)
    {
        var built = Build(form, n, nbytes);
        rec["form"] = form;
        rec["tasks"] = built.Tasks;
        rec["memory_limit"] = limit;
        var sw = Stopwatch.StartNew();
        var cluster = ClusterExecutor.StartLocalAsync(workers, new LocalClusterOptions { WorkerMemoryLimit = limit }).GetAwaiter().GetResult();
        try
        {
            rec["start_s"] = sw.Elapsed.TotalSeconds;
            var pids = cluster.WorkerProcesses.Values.ToList();
            var walls = new List<double>();
            FlowRun<object>? last = null;
            long spilled = 0, readBack = 0, restarts = 0, pauses = 0, spillFailures = 0;
            for (var r = 0; r < repeat; r++)
            {
                sw.Restart();
                var run = FlowRunner.RunAsync<object>(built.Graph, cluster, built.Arguments).GetAwaiter().GetResult();
                walls.Add(sw.Elapsed.TotalSeconds);
                last = run;
                spilled += run.WorkerMemory.BytesSpilled;
                readBack += run.WorkerMemory.BytesReadBack;
                restarts += run.WorkerMemory.Restarts;
                pauses += run.WorkerMemory.Pauses;
                spillFailures += run.WorkerMemory.SpillFailures;
                pids.AddRange(cluster.WorkerProcesses.Values.Where(p => !pids.Contains(p)));
                if (!run.Succeeded || !Equals(run.Result, built.Expected))
                {
                    rec["status"] = "error";
                    notes.Append(CultureInfo.InvariantCulture, $"run {r + 1}: {run.State}, result {run.Result} (expected {built.Expected}): {run.FirstFailure?.Exception?.Message}; ");
                    break;
                }
            }

            // Peaks of the workers alive at the end (a worker that restarted took its peak with it; its own news said it).
            var peaks = cluster.WorkerProcesses.Values.Select(PeakMemory.BytesOf).Where(p => p > 0).ToList();
            walls.Sort();
            rec["wall_s"] = walls.Count == 0 ? null : walls[walls.Count / 2];
            rec["walls_s"] = walls.ToArray();
            rec["bytes_spilled"] = spilled / Math.Max(1, walls.Count);
            rec["bytes_read_back"] = readBack / Math.Max(1, walls.Count);
            rec["restarts"] = restarts;
            rec["pauses"] = pauses;
            rec["spill_failures"] = spillFailures;
            rec["bytes_moved"] = last?.BytesMoved;
            rec["worker_peak_rss"] = peaks.ToArray();
            rec["worker_peak_reported"] = last?.WorkerMemory.PeakWorkerMemory;
            var within = peaks.Count > 0 && peaks.All(p => p <= limit * 1.10);
            rec["peaks_within_110pct"] = within;
            notes.Append(CultureInfo.InvariantCulture,
                $"{form}: {n} x {nbytes / 1e6:G} MB double[] on {workers} workers limited to {Mib(limit)}; spilled {spilled / Math.Max(1, walls.Count) / 1048576.0:F0} MiB, " +
                $"read back {readBack / Math.Max(1, walls.Count) / 1048576.0:F0} MiB per run; peak RSS {string.Join(", ", peaks.Select(p => Mib(p)))} ({(within ? "within" : "NOT within")} 110 %); {pauses} pause(s), {restarts} restart(s)");
            if (!within && (string?)rec["status"] == "ok")
            {
                rec["status"] = "over-limit";
            }
        }
        finally
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F0} MiB");
}
