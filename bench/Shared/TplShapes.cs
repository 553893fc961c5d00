namespace Flows.Bench;

/// <summary>
/// The plain-.NET floor: each shape written by hand with Tasks (StartNew / ContinueWith /
/// ContinueWhenAll / WhenAll) on a scheduler that runs at most W of them at once. No flow graph, no
/// states, no retries: what a careful programmer would write without a flow library.
/// </summary>
public sealed class TplShapes
{
    private readonly TaskFactory _factory;

    /// <summary>Tasks run on <paramref name="scheduler"/> (a concurrency-limited scheduler of W).</summary>
    public TplShapes(TaskScheduler scheduler)
    {
        Scheduler = scheduler;
        _factory = new TaskFactory(CancellationToken.None, TaskCreationOptions.None, TaskContinuationOptions.None, scheduler);
    }

    public TaskScheduler Scheduler { get; }

    /// <summary>A scheduler that runs at most <paramref name="workers"/> tasks at once on the thread pool.</summary>
    public static TplShapes Limited(int workers)
    {
        // Sleeping tasks (io) need W pool threads at once; the pool would otherwise add them slowly.
        ThreadPool.GetMinThreads(out var minWorker, out var minIo);
        if (minWorker < workers)
        {
            ThreadPool.SetMinThreads(workers, minIo);
        }

        return new TplShapes(new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, workers).ConcurrentScheduler);
    }

    public int Fanout(int n)
    {
        var tasks = new Task<int>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = _factory.StartNew(static s => BenchTasks.Inc((int)s!), i);
        }

        return _factory.ContinueWhenAll(tasks, static ts =>
        {
            var total = 0;
            foreach (var t in ts)
            {
                total = unchecked(total + t.Result);
            }

            return total;
        }).Result;
    }

    /// <summary>The mapped form: one array in, one task per element, one array out.</summary>
    public int FanoutMap(int[] items)
    {
        var results = new int[items.Length];
        var tasks = new Task[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            tasks[i] = _factory.StartNew(
                static s =>
                {
                    var (r, x, k) = ((int[], int[], int))s!;
                    r[k] = BenchTasks.Inc(x[k]);
                },
                (results, items, i));
        }

        return _factory.ContinueWhenAll(tasks, _ => BenchTasks.SumArray(results)).Result;
    }

    /// <summary>The tolerant mapped form: each element's exception is caught and kept, then the successes are summed.</summary>
    public int FanoutTryMap(int[] items, int failEvery)
    {
        var results = new Outcome<int>[items.Length];
        var tasks = new Task[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            tasks[i] = _factory.StartNew(
                static s =>
                {
                    var (r, x, k, every) = ((Outcome<int>[], int[], int, int))s!;
                    try
                    {
                        r[k] = Outcome<int>.Success(BenchTasks.IncOrFail(x[k], every));
                    }
                    catch (InvalidOperationException ex)
                    {
                        r[k] = Outcome<int>.Failure(TaskState.Failed, ex);
                    }
                },
                (results, items, i, failEvery));
        }

        return _factory.ContinueWhenAll(tasks, _ => BenchTasks.SumSucceeded(results)).Result;
    }

    public int Chain(int n)
    {
        var t = _factory.StartNew(static () => BenchTasks.Inc(0));
        for (var i = 1; i < n; i++)
        {
            t = t.ContinueWith(static p => BenchTasks.Inc(p.Result), Scheduler);
        }

        return t.Result;
    }

    public int Diamond(int n)
    {
        var layer = new Task<int>[n];
        for (var j = 0; j < n; j++)
        {
            layer[j] = _factory.StartNew(static s => BenchTasks.Inc((int)s!), j);
        }

        for (var d = 1; d < n; d++)
        {
            var next = new Task<int>[n];
            for (var j = 0; j < n; j++)
            {
                next[j] = _factory.ContinueWhenAll([layer[j], layer[(j + 1) % n]], static ts => BenchTasks.Add2(ts[0].Result, ts[1].Result));
            }

            layer = next;
        }

        Task.WaitAll(layer);
        return layer[0].Result;
    }

    public int Tree(int n)
    {
        var level = new List<Task<int>>(n);
        for (var i = 0; i < n; i++)
        {
            level.Add(_factory.StartNew(static s => BenchTasks.Inc((int)s!), i));
        }

        while (level.Count > 1)
        {
            var next = new List<Task<int>>((level.Count + 1) / 2);
            for (var k = 0; k + 1 < level.Count; k += 2)
            {
                next.Add(_factory.ContinueWhenAll([level[k], level[k + 1]], static ts => BenchTasks.Add2(ts[0].Result, ts[1].Result)));
            }

            if (level.Count % 2 == 1)
            {
                next.Add(level[^1].ContinueWith(static t => t.Result, Scheduler));
            }

            level = next;
        }

        return level[0].Result;
    }

    public long Cpu(int n, long iters)
    {
        var tasks = new Task<long>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = _factory.StartNew(static s => BenchTasks.Spin((long)s!), iters);
        }

        Task.WaitAll(tasks);
        return tasks[^1].Result;
    }

    public int Io(int n, int ms)
    {
        var tasks = new Task<int>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = _factory.StartNew(static s => BenchTasks.Nap((int)s!), ms);
        }

        Task.WaitAll(tasks);
        return tasks[^1].Result;
    }

    /// <summary>Async naps need no worker while they wait: start them all and await them together.</summary>
    public static int IoAsync(int n, int ms)
    {
        var tasks = new Task<int>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = BenchTasks.NapAsync(ms, CancellationToken.None);
        }

        Task.WaitAll(tasks);
        return tasks[^1].Result;
    }

    public double Data(int n, int nbytes)
    {
        var tasks = new Task<double[]>[n];
        for (var i = 0; i < n; i++)
        {
            tasks[i] = _factory.StartNew(s => BenchTasks.Produce((int)s!, nbytes), i);
        }

        return _factory.ContinueWhenAll(tasks, static ts =>
        {
            var blobs = new double[ts.Length][];
            for (var i = 0; i < ts.Length; i++)
            {
                blobs[i] = ts[i].Result;
            }

            return BenchTasks.Consume(blobs);
        }).Result;
    }
}
