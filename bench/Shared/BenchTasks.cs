using System.Runtime.CompilerServices;
using Flows.Graph;

namespace Flows.Bench;

/// <summary>
/// The task methods of the benchmark shapes, with invokers written exactly as the source generator
/// emits them: one static invoker per task method, reading its inputs by position.
/// </summary>
public static class BenchTasks
{
    // ---- invokers (what generated code looks like) --------------------------------------------

    private static object? InvokeInc(in TaskArguments a, CancellationToken ct) => Inc(a.Get<int>(0));

    private static object? InvokeAdd2(in TaskArguments a, CancellationToken ct) => Add2(a.Get<int>(0), a.Get<int>(1));

    private static object? InvokeIdent(in TaskArguments a, CancellationToken ct) => a.Get<int>(0);

    /// <summary>A task with N int inputs (the fan-in of <c>fanout</c>).</summary>
    private static object? InvokeSumAll(in TaskArguments a, CancellationToken ct)
    {
        var total = 0;
        for (var i = 0; i < a.Count; i++)
        {
            total = unchecked(total + a.Get<int>(i));
        }

        return total;
    }

    private static object? InvokeSumArray(in TaskArguments a, CancellationToken ct) => SumArray(a.Get<int[]>(0));

    private static object? InvokeIncOrFail(in TaskArguments a, CancellationToken ct) => IncOrFail(a.Get<int>(0), a.Get<int>(1));

    private static object? InvokeSumSucceeded(in TaskArguments a, CancellationToken ct) => SumSucceeded(a.Get<Outcome<int>[]>(0));

    private static object? InvokeSpin(in TaskArguments a, CancellationToken ct) => Spin(a.Get<long>(0));

    private static object? InvokeNap(in TaskArguments a, CancellationToken ct) => Nap(a.Get<int>(0));

    private static object? InvokeNapAsync(in TaskArguments a, CancellationToken ct) => NapAsync(a.Get<int>(0), ct);

    private static object? InvokeProduce(in TaskArguments a, CancellationToken ct) => Produce(a.Get<int>(0), a.Get<int>(1));

    private static object? InvokeConsume(in TaskArguments a, CancellationToken ct)
    {
        var blobs = new double[a.Count][];
        for (var i = 0; i < blobs.Length; i++)
        {
            blobs[i] = a.Get<double[]>(i);
        }

        return Consume(blobs);
    }

    // ---- descriptors ----------------------------------------------------------------------------

    public static readonly TaskDescriptor IncTask = new("Flows.Bench.BenchTasks.Inc", "inc", InvokeInc, codec: BenchCodec.Instance);
    /// <summary>
    /// Inc under a concurrency limit (the same task id as <see cref="IncTask"/>, so workers run it as Inc):
    /// <c>MaxConcurrency = maxConcurrency</c> when it is above 0, and the tag <paramref name="tag"/> when given.
    /// </summary>
    public static TaskDescriptor IncLimited(int maxConcurrency, string? tag) =>
        new(IncTask.Id, IncTask.Name, InvokeInc, codec: BenchCodec.Instance)
        {
            MaxConcurrency = maxConcurrency,
            Tags = tag is null ? Array.Empty<string>() : [tag],
        };

    /// <summary>Inc, cached for an hour: after the first run every call is a cache hit.</summary>
    public static readonly TaskDescriptor IncCachedTask = new("Flows.Bench.BenchTasks.IncCached", "inc", InvokeInc, codec: BenchCodec.Instance, codeHash: "inc-1", cacheFor: TimeSpan.FromHours(1));

    public static readonly TaskDescriptor Add2Task = new("Flows.Bench.BenchTasks.Add2", "add2", InvokeAdd2, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor IdentTask = new("Flows.Bench.BenchTasks.Ident", "ident", InvokeIdent, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor SumAllTask = new("Flows.Bench.BenchTasks.SumAll", "sum", InvokeSumAll, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor SumArrayTask = new("Flows.Bench.BenchTasks.SumArray", "sum", InvokeSumArray, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor IncOrFailTask = new("Flows.Bench.BenchTasks.IncOrFail", "incOrFail", InvokeIncOrFail, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor SumSucceededTask = new("Flows.Bench.BenchTasks.SumSucceeded", "sumSucceeded", InvokeSumSucceeded, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor SpinTask = new("Flows.Bench.BenchTasks.Spin", "spin", InvokeSpin, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor NapTask = new("Flows.Bench.BenchTasks.Nap", "nap", InvokeNap, codec: BenchCodec.Instance);

    public static readonly TaskDescriptor NapAsyncTask = new(
        "Flows.Bench.BenchTasks.NapAsync", "nap", InvokeNapAsync, asyncResult: static t => ((Task<int>)t).Result, codec: BenchCodec.Instance);

    public static readonly TaskDescriptor ProduceTask = new("Flows.Bench.BenchTasks.Produce", "produce", InvokeProduce, codec: BenchCodec.Instance);
    public static readonly TaskDescriptor ConsumeTask = new("Flows.Bench.BenchTasks.Consume", "consume", InvokeConsume, codec: BenchCodec.Instance);

    /// <summary>Every task above: what the registry serves to worker processes.</summary>
    public static readonly TaskDescriptor[] All =
        [IncTask, IncCachedTask, Add2Task, IdentTask, SumAllTask, SumArrayTask, IncOrFailTask, SumSucceededTask, SpinTask, NapTask, NapAsyncTask, ProduceTask, ConsumeTask, .. MapChainShape.Tasks, .. MemPressureTasks()];

    /// <summary>The mempressure shape's tasks, where the shape is compiled in (the runner, not the BenchmarkDotNet suites).</summary>
    private static TaskDescriptor[] MemPressureTasks() =>
#if FLOWS_BENCH_RUNNER
        MemPressureShape.Tasks;
#else
        [];
#endif

    // ---- the task bodies (shared with the plain-TPL floor) -------------------------------------

    public static int Inc(int x) => x + 1;

    public static int Add2(int x, int y) => unchecked(x + y);

    public static int SumArray(int[] xs)
    {
        var total = 0;
        foreach (var x in xs)
        {
            total = unchecked(total + x);
        }

        return total;
    }

    /// <summary>
    /// <see cref="Inc"/>, except that one element in <paramref name="every"/> throws (with 100, those
    /// ending in 42; with 0, none): the <c>trymap</c> shape's task, <paramref name="every"/> a whole argument.
    /// </summary>
    public static int IncOrFail(int x, int every) => Fails(x, every) ? throw new InvalidOperationException($"element {x} fails") : x + 1;

    public static bool Fails(int x, int every) => every > 0 && x % every == 42 % every;

    /// <summary>The sum of the values of the outcomes that succeeded.</summary>
    public static int SumSucceeded(Outcome<int>[] outcomes)
    {
        var total = 0;
        foreach (var outcome in outcomes)
        {
            if (outcome.Succeeded)
            {
                total = unchecked(total + outcome.Value);
            }
        }

        return total;
    }

    /// <summary>CPU work, the same loop as dask_peer's <c>spin</c>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Spin(long n)
    {
        long x = 0;
        for (long i = 0; i < n; i++)
        {
            x = (x + (i * i)) % 1000003;
        }

        return x;
    }

    public static int Nap(int ms)
    {
        Thread.Sleep(ms);
        return 1;
    }

    public static async Task<int> NapAsync(int ms, CancellationToken ct)
    {
        await Task.Delay(ms, ct).ConfigureAwait(false);
        return 1;
    }

    public static double[] Produce(int i, int nbytes)
    {
        var a = GC.AllocateUninitializedArray<double>(nbytes / sizeof(double));
        a.AsSpan().Fill(i);
        return a;
    }

    /// <summary>Reads every byte: the length plus the sum of every element, like dask_peer's <c>consume</c>.</summary>
    public static double Consume(double[][] blobs)
    {
        double total = 0;
        foreach (var b in blobs)
        {
            double s = 0;
            foreach (var v in b)
            {
                s += v;
            }

            total += (b.Length * sizeof(double)) + s;
        }

        return total;
    }
}
