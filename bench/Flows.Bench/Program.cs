// Whole-process peer benchmark of Flows: the same DAG shapes, arguments and JSON fields as
// /work/shared/bench/peers/dask_peer.py, so that `dask_peer.py --table dask.jsonl flows.jsonl`
// renders both side by side. See bench/RESULTS.md.
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Flows;
using Flows.Bench;
using Flows.Cluster;
using Flows.Graph;

return BenchMain.Run(args);

internal sealed class Options
{
    public string Shape = "";
    public string Executor = "";
    public int? N;
    public List<int>? Workers;
    public bool Json;
    public int Repeat = 3;
    public int Warmup = 1;
    public double WarmupS = 1.0;
    public double Budget = 300;
    public double CpuS = 0.25;
    public long? Iters;
    public double IoMs = 20;
    public double Mb = 8;
    public double WaitIdle;
    public double IdleThreshold = 0.15;
    public int FailEvery = 100;
    public string? Store;
    public string Listen = "none";
    public int Limit;
    public int TagLimit;
    public int? ChainWindow;
    public bool BreadthFirst;
    public bool MbGiven;
    public long MemoryLimit = 512L << 20;
    public string Form = MemPressureShape.DefaultForm;
}

internal static class BenchMain
{
    private static readonly string[] Shapes = ["fanout", "fanout-cached", "fanout-map", "chain", "diamond", "tree", "cpu", "io", "data", "map", "trymap", "shell", "mapchain", "mempressure"];
    private static readonly string[] Trivial = ["fanout", "fanout-cached", "fanout-map", "chain", "diamond", "tree", "map", "trymap"];
    private static readonly string[] Executors = ["local", "threads", "processes", "tpl", "cluster", "local-async", "threads-async", "processes-async", "tpl-async", "cluster-async"];

    private const string Usage =
        "usage: Flows.Bench SHAPE EXECUTOR [--n N] [--workers W[,W...]] [--json] [--repeat 3] [--warmup 1]\n" +
        "         [--warmup-s 1.0] [--budget 300] [--cpu-s 0.25] [--iters I] [--io-ms 20] [--mb 8] [--wait-idle S] [--fail-every 100]\n" +
        "         [--store DIR] [--listen none|count|progress|progress-plain] [--limit N] [--tag-limit N]\n" +
        "         [--chain-window N] [--breadth-first]\n" +
        "         [--memory-limit 512MiB] [--form plain|held|map]\n" +
        "  SHAPE     fanout | fanout-cached | fanout-map | chain | diamond | tree | cpu | io | data | map | trymap | shell | mapchain | mempressure\n" +
        "            (mapchain: Total(Flow.Map(Sum, Flow.Map(AddOne, Flow.Map(Make, ids, nbytes)))), 2,000 x --mb MiB by default,\n" +
        "             depth-first in FlowRunOptions.MapChainWindow (--chain-window), or --breadth-first: the graph without the chain marks;\n" +
        "             peak_rss_mib: the flow process's and each worker process's peak resident memory)\n" +
        "            (mempressure, cluster only: N producers (40) of a --mb MB double[] (50) each read by one consumer, then a sum,\n" +
        "             on W workers (2) limited to --memory-limit each (bytes or 512MiB-style); --form plain: independent consumers,\n" +
        "             held: consumers in a chain so that produced results pile up (the default), map: Flow.Map then Flow.Map then sum;\n" +
        "             reports wall_s, bytes_spilled, bytes_read_back and each worker's peak RSS against the limit)\n" +
        "            (shell: Shell.Run(\"true\") N times in a Flow.Map, 1,000 by default; tpl: a plain Process.Start loop of the same)\n" +
        "            (fanout-cached: the fanout of a task with CacheFor, so every timed run hits the cache: give --store)\n" +
        "  --store   run with a FlowStore in DIR (emptied first): every result is checkpointed\n" +
        "  --listen  count: every run has an event listener that counts the events (what listening costs);\n" +
        "            progress / progress-plain: Flows.Console's display, live or plain, written to nowhere\n" +
        "  --limit   fanout, fanout-map: inc has [Task(MaxConcurrency = N)] (what a limit costs; compare with no --limit)\n" +
        "  --tag-limit  fanout, fanout-map: inc carries tag 'bench' and every run has FlowRunOptions.TagLimits { bench = N }\n" +
        "            (trymap: Flow.TryMap of 10,000 elements by default; one in --fail-every throws, 0 for none)\n" +
        "  EXECUTOR  local | threads | processes | tpl | cluster\n" +
        "            (io also: threads-async | processes-async | tpl-async | local-async | cluster-async)\n" +
        "  cluster   a local ClusterExecutor (Orleans) of W worker processes, started once per (shape, W);\n" +
        "            start_s = ClusterExecutor.StartTime; bytes_moved = FlowRun.BytesMoved of the last timed run";

    public static int Run(string[] argv)
    {
        Options o;
        try
        {
            o = Parse(argv);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var workers = o.Workers ?? (o.Shape == "io" ? [4, 16] : o.Shape == "mempressure" ? [2] : [Environment.ProcessorCount]);
        if (o.Executor.StartsWith("local", StringComparison.Ordinal))
        {
            workers = workers.Take(1).ToList(); // one run; W only sizes the cpu shape (2 x W tasks)
        }

        foreach (var w in workers)
        {
            RunOne(o, w);
        }

        return 0;
    }

    private static Options Parse(string[] argv)
    {
        var o = new Options();
        var positional = new List<string>();
        for (var i = 0; i < argv.Length; i++)
        {
            string Next() => i + 1 < argv.Length ? argv[++i] : throw new ArgumentException($"{argv[i]} needs a value");
            double D() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (argv[i])
            {
                case "--n": o.N = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--workers": o.Workers = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(); break;
                case "--json": o.Json = true; break;
                case "--repeat": o.Repeat = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup-s": o.WarmupS = D(); break;
                case "--budget": o.Budget = D(); break;
                case "--cpu-s": o.CpuS = D(); break;
                case "--iters": o.Iters = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--io-ms": o.IoMs = D(); break;
                case "--mb": o.Mb = D(); o.MbGiven = true; break;
                case "--memory-limit": o.MemoryLimit = ParseSize(Next()); break;
                case "--form": o.Form = Next(); break;
                case "--wait-idle": o.WaitIdle = D(); break;
                case "--fail-every": o.FailEvery = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--store": o.Store = Next(); break;
                case "--listen": o.Listen = Next(); break;
                case "--limit": o.Limit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--tag-limit": o.TagLimit = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--chain-window": o.ChainWindow = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--breadth-first": o.BreadthFirst = true; break;
                case "--idle-threshold": o.IdleThreshold = D(); break;
                case "-h" or "--help": throw new ArgumentException("help");
                default:
                    if (argv[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException("unknown option " + argv[i]);
                    }

                    positional.Add(argv[i]);
                    break;
            }
        }

        if (positional.Count != 2)
        {
            throw new ArgumentException("SHAPE and EXECUTOR are required");
        }

        o.Shape = positional[0];
        o.Executor = positional[1];
        if (!Shapes.Contains(o.Shape))
        {
            throw new ArgumentException("unknown shape " + o.Shape);
        }

        if (!Executors.Contains(o.Executor))
        {
            throw new ArgumentException("unknown executor " + o.Executor);
        }

        if ((o.Limit != 0 || o.TagLimit != 0) && o.Shape is not ("fanout" or "fanout-map"))
        {
            throw new ArgumentException("--limit and --tag-limit apply to the fanout and fanout-map shapes only");
        }

        if (o.Limit < 0 || o.TagLimit < 0)
        {
            throw new ArgumentException("--limit and --tag-limit take a limit of 1 or more");
        }

        if (o.Shape == "mempressure" && o.Executor != "cluster")
        {
            throw new ArgumentException("the mempressure shape runs on the cluster executor only (its workers manage their memory)");
        }

        if (!MemPressureShape.Forms.Contains(o.Form))
        {
            throw new ArgumentException($"--form must be {string.Join(", ", MemPressureShape.Forms)}, not '{o.Form}'");
        }

        if (o.Executor.EndsWith("-async", StringComparison.Ordinal) && o.Shape != "io")
        {
            throw new ArgumentException("the -async executors apply to the io shape only");
        }

        return o;
    }

    /// <summary>A size in bytes: plain, or with a unit (512MiB, 4GiB: powers of 1024; 500MB: of 1000).</summary>
    private static long ParseSize(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        foreach (var (suffix, factor) in new (string, long)[] { ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("b", 1) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (long)(double.Parse(t[..^suffix.Length], CultureInfo.InvariantCulture) * factor);
            }
        }

        return long.Parse(t, CultureInfo.InvariantCulture);
    }

    private static int DefaultN(string shape, int workers) => shape switch
    {
        "fanout" or "fanout-cached" or "fanout-map" => 10000,
        "chain" => 2000,
        "diamond" => 100,
        "tree" => 8192,
        "cpu" => 2 * workers,
        "io" => 200,
        "data" => 10,
        "map" => 1_000_000,
        "trymap" => 10_000,
        "shell" => 1_000,
        "mapchain" => 2_000,
        "mempressure" => 40,
        _ => throw new ArgumentException(shape),
    };

    private static void RunOne(Options o, int workers)
    {
        var isLocal = o.Executor.StartsWith("local", StringComparison.Ordinal);
        var isAsync = o.Executor.EndsWith("-async", StringComparison.Ordinal);
        var baseExecutor = isAsync ? o.Executor[..^"-async".Length] : o.Executor;
        var par = isLocal ? 1 : workers;
        var n = o.N ?? DefaultN(o.Shape, workers);
        var rec = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["lib"] = "flows",
            ["lib_version"] = typeof(FlowRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                              ?? typeof(FlowRunner).Assembly.GetName().Version?.ToString(),
            ["distributed_version"] = null,
            ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["host_cores"] = Environment.ProcessorCount,
            ["shape"] = o.Shape,
            ["scheduler"] = o.Executor,
            ["workers"] = par,
            ["n"] = n,
            ["status"] = "ok",
            ["start_s"] = null,
            ["speedup"] = null,
            ["serial_s"] = null,
            ["loadavg_1m"] = Host.LoadAvg1(),
        };
        var notes = new StringBuilder();
        var busy = o.WaitIdle > 0 ? Host.WaitIdle(o.WaitIdle, o.IdleThreshold) : Host.Busy(0.5);
        rec["host_busy_before"] = busy;
        if (busy is { } b && b > o.IdleThreshold)
        {
            notes.Append(CultureInfo.InvariantCulture, $"host busy {b * 100:F0}% before run; ");
        }

        if (o.Shape == "mempressure")
        {
            try
            {
                MemPressureShape.Run(o.Form, n, o.MbGiven ? (int)(o.Mb * 1e6) : 50_000_000, par, o.MemoryLimit, o.Repeat, rec, notes);
            }
            catch (Exception ex)
            {
                rec["status"] = "error";
                notes.Append(CultureInfo.InvariantCulture, $"; {ex.GetType().Name}: {ex.Message}");
            }

            rec["notes"] = notes.ToString().TrimStart(';', ' ');
            Emit(rec, o.Json);
            return;
        }

        // ---- the work and its ideal time (no scheduler) -----------------------------------------
        double ideal;
        BuiltGraph built;
        var sleepMs = (int)Math.Round(o.IoMs);
        var nbytes = (int)(o.Mb * 1024 * 1024);
        long iters = 0;
        switch (o.Shape)
        {
            case "fanout": built = BenchGraphs.Fanout(n, LimitedInc(o, rec, notes)); ideal = 0; break;
            case "fanout-cached": built = BenchGraphs.Fanout(n, BenchTasks.IncCachedTask); ideal = 0; notes.Append("every task cached (hits after the first run); "); break;
            case "fanout-map" or "map": built = BenchGraphs.FanoutMap(n, o.Shape == "map" ? null : LimitedInc(o, rec, notes)); ideal = 0; break;
            case "trymap": built = BenchGraphs.FanoutTryMap(n, o.FailEvery); ideal = 0; notes.Append(CultureInfo.InvariantCulture, $"1 element in {o.FailEvery} fails; "); break;
            case "chain": built = BenchGraphs.Chain(n); ideal = 0; break;
            case "shell": built = ShellShape.Build(n); ideal = 0; notes.Append(CultureInfo.InvariantCulture, $"/bin/sh -c {ShellShape.Command} per element; per-command overhead = wall / n against tpl's Process.Start loop"); break;
            case "diamond": built = BenchGraphs.Diamond(n); ideal = 0; break;
            case "tree": built = BenchGraphs.Tree(n); ideal = 0; break;
            case "cpu":
            {
                iters = o.Iters ?? CalibrateSpin(o.CpuS);
                BenchTasks.Spin(iters); // warm
                var serial = Median(3, () =>
                {
                    for (var i = 0; i < n; i++)
                    {
                        BenchTasks.Spin(iters);
                    }
                });
                var perTask = serial / n;
                ideal = Math.Ceiling(n / (double)par) * perTask;
                rec["serial_s"] = serial;
                notes.Append(CultureInfo.InvariantCulture, $"spin iters={iters}, {perTask:F3}s/task serial");
                built = BenchGraphs.Cpu(n, iters);
                break;
            }

            case "io":
            {
                var sleepS = sleepMs / 1000.0;
                // An async nap holds no worker while it waits: all N can be in flight at once.
                ideal = isAsync && !isLocal && baseExecutor != "processes" ? sleepS : Math.Ceiling(n / (double)par) * sleepS; // a worker process runs one task at a time
                rec["serial_s"] = n * sleepS;
                notes.Append(CultureInfo.InvariantCulture, $"sleep {sleepMs} ms/task");
                notes.Append(isAsync ? " (await Task.Delay)" : " (Thread.Sleep)");
                built = BenchGraphs.Io(n, sleepMs, isAsync);
                break;
            }

            case "data":
            {
                var blobs = new double[n][];
                for (var i = 0; i < n; i++)
                {
                    blobs[i] = BenchTasks.Produce(i, nbytes);
                }

                // Time one producer as the runs use it: all N produced in turn (a full GC before
                // each round, as before each timed run), after one untimed round. A lone 8 MiB
                // allocation timed on its own faults in fresh pages and overstates the ideal time.
                var round = new double[n][];
                void ProduceAll()
                {
                    for (var i = 0; i < n; i++)
                    {
                        round[i] = BenchTasks.Produce(i, nbytes);
                    }
                }

                ProduceAll();
                var tProd = Median(3, ProduceAll, () => { Array.Clear(round); GC.Collect(); }) / n;
                Array.Clear(round);
                var tCons = Median(3, () => BenchTasks.Consume(blobs));
                ideal = (Math.Ceiling(n / (double)par) * tProd) + tCons;
                rec["serial_s"] = (n * tProd) + tCons;
                notes.Append(CultureInfo.InvariantCulture, $"{n} x {o.Mb:G} MiB double[]; produce {tProd * 1e3:F1} ms, consume {tCons * 1e3:F1} ms");
                built = BenchGraphs.Data(n, nbytes);
                break;
            }

            case "mapchain":
            {
                // The ideal: every element's three stages timed in this process on a sample, spread over W.
                const int sample = 20;
                var t = Stopwatch.StartNew();
                double check = 0;
                for (var i = 0; i < sample; i++)
                {
                    check += MapChainShape.Sum(MapChainShape.AddOne(MapChainShape.Make(i, nbytes)));
                }

                var perElement = t.Elapsed.TotalSeconds / sample;
                ideal = Math.Ceiling(n / (double)par) * perElement;
                rec["serial_s"] = n * perElement;
                notes.Append(CultureInfo.InvariantCulture, $"{n} x {o.Mb:G} MiB double[], 3 stages; {perElement * 1e3:F1} ms per element (check {check:G3}); ");
                notes.Append(o.BreadthFirst ? "breadth-first (no chain marks)" : o.ChainWindow is { } w ? $"chain window {w}" : "chain window: default");
                built = MapChainShape.Build(n, nbytes, chained: !o.BreadthFirst);
                break;
            }

            default: throw new InvalidOperationException(o.Shape);
        }

        if (Trivial.Contains(o.Shape))
        {
            notes.Append("trivial tasks, ideal=0");
        }

        rec["ideal_s"] = ideal;
        rec["tasks"] = built.Tasks;

        // ---- the executor ----------------------------------------------------------------------------
        FlowExecutor? executor = null;
        Func<object> runOnce;
        long? bytesMoved = null;
        try
        {
            if (baseExecutor == "tpl")
            {
                var sw = Stopwatch.StartNew();
                // The floor: trivial tasks with W >= cores run on the plain pool (already about W
                // threads); otherwise a scheduler that lets at most W tasks run at once.
                var plainPool = Trivial.Contains(o.Shape) && par >= Environment.ProcessorCount;
                var tpl = plainPool ? new TplShapes(TaskScheduler.Default) : TplShapes.Limited(par);
                rec["start_s"] = sw.Elapsed.TotalSeconds;
                var items = built.Arguments.Length > 0 && built.Arguments[0] is int[] ints ? ints : [];
                runOnce = o.Shape switch
                {
                    "fanout" => () => tpl.Fanout(n),
                    "fanout-map" or "map" => () => tpl.FanoutMap(items),
                    "trymap" => () => tpl.FanoutTryMap(items, o.FailEvery),
                    "chain" => () => tpl.Chain(n),
                    "diamond" => () => tpl.Diamond(n),
                    "tree" => () => tpl.Tree(n),
                    "cpu" => () => tpl.Cpu(n, iters),
                    "io" when isAsync => () => TplShapes.IoAsync(n, sleepMs),
                    "io" => () => tpl.Io(n, sleepMs),
                    "data" => () => tpl.Data(n, nbytes),
                    "shell" => () => ShellShape.ProcessStartLoop(n, par),
                    _ => throw new InvalidOperationException(o.Shape),
                };
                notes.Append(plainPool ? "; plain Tasks on TaskScheduler.Default" : "; plain Tasks on ConcurrentExclusiveSchedulerPair(max " + par + ")");
            }
            else
            {
                // JIT the runtime's run path on a one-task flow first, so that start_s is the executor
                // (and its worker threads) coming up, not the JIT.
                var one = BenchGraphs.Chain(1);
                using (var warm = new LocalExecutor())
                {
                    _ = FlowRunner.RunAsync<object>(one.Graph, warm, one.Arguments).GetAwaiter().GetResult().Result;
                }

                var sw = Stopwatch.StartNew();
                if (baseExecutor == "processes")
                {
                    // Worker processes: start them (and wait for their handshakes), then one run
                    // so that every worker has loaded this assembly.
                    var processes = new ProcessExecutor(numWorkers: par);
                    executor = processes;
                    processes.StartAsync().GetAwaiter().GetResult();
                    rec["start_s"] = sw.Elapsed.TotalSeconds;
                    _ = FlowRunner.RunAsync<object>(one.Graph, executor, one.Arguments).GetAwaiter().GetResult().Result;
                }
                else if (baseExecutor == "cluster")
                {
                    // A temporary local cluster (in-process membership silo + W worker processes),
                    // started once for this (shape, W) and disposed below; StartTime is its own
                    // measure of the start (workers joined and serving). Then one run so that every
                    // worker has loaded this assembly.
                    // FLOWS_BENCH_CLUSTER_AUTH=0 turns the cluster's mutual TLS off, to measure what it costs
                    // (unsafe on a shared machine: see LocalClusterOptions.Authenticate).
                    var authenticate = Environment.GetEnvironmentVariable("FLOWS_BENCH_CLUSTER_AUTH") != "0";
                    // FLOWS_BENCH_WORKER_MEMORY_LIMIT=BYTES sets LocalClusterOptions.WorkerMemoryLimit (0: none), to measure what the memory monitor costs.
                    long? memoryLimit = long.TryParse(Environment.GetEnvironmentVariable("FLOWS_BENCH_WORKER_MEMORY_LIMIT"), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
                    var cluster = ClusterExecutor.StartLocalAsync(workers: par, new LocalClusterOptions { Authenticate = authenticate, WorkerMemoryLimit = memoryLimit }).GetAwaiter().GetResult();
                    executor = cluster;
                    rec["start_s"] = cluster.StartTime.TotalSeconds;
                    rec["cluster_auth"] = authenticate;
                    _ = FlowRunner.RunAsync<object>(one.Graph, executor, one.Arguments).GetAwaiter().GetResult().Result;
                }
                else
                {
                    executor = isLocal ? new LocalExecutor() : new ThreadExecutor(numWorkers: par);
                    _ = FlowRunner.RunAsync<object>(one.Graph, executor, one.Arguments).GetAwaiter().GetResult().Result;
                    if (!isLocal)
                    {
                        rec["start_s"] = sw.Elapsed.TotalSeconds; // workers start on the first run
                    }
                }

                var exec = executor;
                FlowStore? store = null;
                if (o.Store is { } storePath)
                {
                    // A store of its own per measurement: every run checkpoints every result (and fills or reads the cache).
                    if (Directory.Exists(storePath))
                    {
                        Directory.Delete(storePath, recursive: true);
                    }

                    store = FlowStore.Open(storePath);
                    rec["store"] = true;
                    notes.Append("; with a store");
                }

                var listeners = BenchListeners.For(o.Listen, rec, notes);
                var tagLimits = o.TagLimit > 0 ? new Dictionary<string, int> { ["bench"] = o.TagLimit } : null;
                var runOptions = store is null && listeners is null && tagLimits is null && o.ChainWindow is null
                    ? null
                    : new FlowRunOptions { Store = store, Listeners = listeners, TagLimits = tagLimits, MapChainWindow = o.ChainWindow };
                runOnce = () =>
                {
                    var run = FlowRunner.RunAsync<object>(built.Graph, exec, built.Arguments, runOptions).GetAwaiter().GetResult();
                    bytesMoved = run.BytesMoved; // the last call Measure makes is the last timed run
                    return run.Result;
                };
            }

            Measure(o, rec, notes, runOnce, built, ideal);
            if (o.Shape == "mapchain")
            {
                // VmHWM: the largest resident size each process reached in any run of this cell.
                var flowPeak = PeakMemory.OfProcess(Environment.ProcessId);
                var workerPeaks = PeakMemory.OfChildren();
                rec["flow_peak_rss_mib"] = flowPeak;
                rec["worker_peak_rss_mib"] = workerPeaks;
                notes.Append(CultureInfo.InvariantCulture, $"; peak RSS flow process {flowPeak:F0} MiB, workers [{string.Join(", ", workerPeaks.Select(p => p.ToString("F0", CultureInfo.InvariantCulture)))}] MiB");
            }
            if (baseExecutor == "cluster" && (string)rec["status"]! == "ok" && bytesMoved is { } moved)
            {
                rec["bytes_moved"] = moved;
                notes.Append(CultureInfo.InvariantCulture, $"; moved {moved / 1048576.0:F1} MiB/run");
            }
        }
        catch (Exception ex)
        {
            rec["status"] = "error";
            notes.Append(CultureInfo.InvariantCulture, $"; {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            if (executor is ClusterExecutor clusterExecutor)
            {
                clusterExecutor.DisposeAsync().AsTask().GetAwaiter().GetResult(); // stops the workers
            }
            else
            {
                executor?.Dispose();
            }
        }

        rec["notes"] = notes.ToString().TrimStart(';', ' ');
        Emit(rec, o.Json);
    }

    /// <summary>The inc task of the fanout shapes under the limits --limit and --tag-limit ask for; null (plain inc) without them.</summary>
    private static TaskDescriptor? LimitedInc(Options o, SortedDictionary<string, object?> rec, StringBuilder notes)
    {
        if (o.Limit == 0 && o.TagLimit == 0)
        {
            return null;
        }

        if (o.Limit > 0)
        {
            rec["limit"] = o.Limit;
            notes.Append(CultureInfo.InvariantCulture, $"inc has MaxConcurrency = {o.Limit}; ");
        }

        if (o.TagLimit > 0)
        {
            rec["tag_limit"] = o.TagLimit;
            notes.Append(CultureInfo.InvariantCulture, $"inc tagged 'bench', TagLimits bench = {o.TagLimit}; ");
        }

        return BenchTasks.IncLimited(o.Limit, o.TagLimit > 0 ? "bench" : null);
    }

    private static void Measure(Options o, SortedDictionary<string, object?> rec, StringBuilder notes, Func<object> runOnce, BuiltGraph built, double ideal)
    {
        var combo = Stopwatch.StartNew();

        // Warm-up: --warmup runs, and for short runs keep going until --warmup-s seconds have
        // passed, so the tiered JIT has promoted the hot path (Dask needs no JIT warm-up).
        double last = 0;
        var warmups = 0;
        var warmWatch = Stopwatch.StartNew();
        while (warmups < o.Warmup || (warmWatch.Elapsed.TotalSeconds < o.WarmupS && last < 0.25 && warmups < 1000))
        {
            last = Time(runOnce, out _);
            warmups++;
        }

        var walls = new List<double>();
        long maxAlloc = 0;
        long peakRss = 0;
        var baseRss = 0L;
        var gcs = new int[3];
        for (var r = 0; r < o.Repeat; r++)
        {
            if (combo.Elapsed.TotalSeconds + last > o.Budget)
            {
                break;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            baseRss = Math.Max(baseRss, Environment.WorkingSet);
            Host.ResetPeakRss();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            last = Time(runOnce, out var result);
            gcs[0] += GC.CollectionCount(0) - gen0;
            gcs[1] += GC.CollectionCount(1) - gen1;
            gcs[2] += GC.CollectionCount(2) - gen2;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            maxAlloc = Math.Max(maxAlloc, allocated);
            peakRss = Math.Max(peakRss, Host.PeakRss());
            if (!Equals(result, built.Expected))
            {
                throw new InvalidOperationException($"wrong result {result}, expected {built.Expected}");
            }

            walls.Add(last);
        }

        notes.Append(CultureInfo.InvariantCulture, $"; warm-up {warmups} run(s)");
        if (walls.Count == 0)
        {
            rec["status"] = "skipped";
            notes.Append(CultureInfo.InvariantCulture, $"; warm-up {last:F1}s; a timed run would exceed budget {o.Budget:G}s");
            return;
        }

        if (walls.Count < o.Repeat)
        {
            notes.Append(CultureInfo.InvariantCulture, $"; only {walls.Count}/{o.Repeat} runs within budget");
        }

        var wall = MedianOf(walls);
        var tasks = built.Tasks;
        rec["runs_s"] = walls;
        rec["wall_s"] = wall;
        rec["overhead_us_per_task"] = (wall - ideal) / tasks * 1e6;
        if (o.Shape is "cpu" or "io")
        {
            rec["speedup"] = (double)rec["serial_s"]! / wall;
        }

        rec["alloc_bytes_per_task"] = maxAlloc / (double)tasks;
        notes.Append(CultureInfo.InvariantCulture, $"; alloc {maxAlloc / (double)tasks:F0} B/task");
        notes.Append(CultureInfo.InvariantCulture, $"; GCs/run gen0 {gcs[0] / (double)walls.Count:F1} gen1 {gcs[1] / (double)walls.Count:F1} gen2 {gcs[2] / (double)walls.Count:F1}");
        if (peakRss > 0)
        {
            rec["peak_mb"] = peakRss / 1048576.0;
            rec["base_mb"] = baseRss / 1048576.0;
            if (o.Shape is "map" or "fanout-map" or "trymap")
            {
                notes.Append(CultureInfo.InvariantCulture, $"; peak RSS {peakRss / 1048576.0:F0} MB (before run {baseRss / 1048576.0:F0} MB)");
            }
        }
    }

    private static double Time(Func<object> run, out object result)
    {
        var t0 = Stopwatch.GetTimestamp();
        result = run();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static double Median(int reps, Action action, Action? before = null)
    {
        var times = new List<double>(reps);
        for (var i = 0; i < reps; i++)
        {
            before?.Invoke();
            var t0 = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        return MedianOf(times);
    }

    private static double MedianOf(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }

    private static long CalibrateSpin(double targetS)
    {
        const long probe = 2_000_000;
        BenchTasks.Spin(probe);
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            BenchTasks.Spin(probe);
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }

        return Math.Max(1, (long)(probe * targetS / best));
    }

    private static void Emit(SortedDictionary<string, object?> rec, bool json)
    {
        if (json)
        {
            using var stream = Console.OpenStandardOutput();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                foreach (var (key, value) in rec)
                {
                    w.WritePropertyName(key);
                    WriteValue(w, value);
                }

                w.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
            stream.Flush();
            return;
        }

        static string F(object? v, string fmt) => v is null ? "-" : string.Format(CultureInfo.InvariantCulture, fmt, v);
        var status = (string)rec["status"]!;
        Console.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            "{0,-10} {1,-14} W={2,-3} tasks={3,-7} wall={4} ideal={5} overhead={6} start={7} speedup={8}  {9}{10}",
            rec["shape"],
            rec["scheduler"],
            rec["workers"],
            rec.GetValueOrDefault("tasks") ?? "-",
            F(rec.GetValueOrDefault("wall_s"), "{0:F4}s"),
            F(rec.GetValueOrDefault("ideal_s"), "{0:F4}s"),
            F(rec.GetValueOrDefault("overhead_us_per_task"), "{0:F2}us/task"),
            F(rec.GetValueOrDefault("start_s"), "{0:F4}s"),
            F(rec.GetValueOrDefault("speedup"), "{0:F2}x"),
            status == "ok" ? string.Empty : $"[{status.ToUpperInvariant()}] ",
            rec["notes"]));
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d: w.WriteNumberValue(d); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long[] longs:
                w.WriteStartArray();
                foreach (var l in longs)
                {
                    w.WriteNumberValue(l);
                }

                w.WriteEndArray();
                break;
            case double[] doubles:
                WriteValue(w, doubles.ToList());
                break;
            case List<double> list:
                w.WriteStartArray();
                foreach (var d in list)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
                break;
            default: w.WriteStringValue(value.ToString()); break;
        }
    }
}

/// <summary>Host load and memory figures, read from /proc on Linux (null elsewhere).</summary>
internal static class Host
{
    public static double? LoadAvg1()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Fraction of all CPUs busy over <paramref name="interval"/> seconds, as dask_peer's host_busy.</summary>
    public static double? Busy(double interval)
    {
        static (long Total, long Idle)? Snap()
        {
            try
            {
                var line = File.ReadLines("/proc/stat").First();
                var vals = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                return (vals.Sum(), vals[3] + (vals.Length > 4 ? vals[4] : 0));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                return null;
            }
        }

        var a = Snap();
        Thread.Sleep(TimeSpan.FromSeconds(interval));
        var b = Snap();
        if (a is null || b is null)
        {
            return null;
        }

        return 1.0 - ((b.Value.Idle - a.Value.Idle) / (double)Math.Max(1, b.Value.Total - a.Value.Total));
    }

    public static double? WaitIdle(double maxWait, double threshold)
    {
        var deadline = Stopwatch.StartNew();
        var busy = Busy(1.0);
        while (busy is { } b && b > threshold && deadline.Elapsed.TotalSeconds < maxWait)
        {
            busy = Busy(1.0);
        }

        return busy;
    }

    /// <summary>Resets the kernel's peak-RSS mark of this process (Linux: "5" to clear_refs).</summary>
    public static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // not Linux or not allowed: PeakRss falls back to the process' lifetime peak
        }
    }

    /// <summary>Peak resident set since the last reset (VmHWM), in bytes.</summary>
    public static long PeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }
}
