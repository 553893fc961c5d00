using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// The tasks of <see cref="ExecutorConformanceTests"/>: static descriptors with static invokers
/// that capture nothing, registered in <see cref="TestTaskRegistry"/> and given a codec, so that
/// they run unchanged on the caller, on threads and in worker processes. Whatever a test needs to
/// observe or control goes through files in the scratch directory it passes as an argument.
/// </summary>
internal static class ConformanceTasks
{
    /// <summary>Concat(string s, int n) = "s-n".</summary>
    public static readonly TaskDescriptor Concat = Sync("Concat", static (in TaskArguments a, CancellationToken _) => $"{a.Get<string>(0)}-{a.Get<int>(1)}", typeof(string), typeof(int));

    /// <summary>Bad(string message, int x) throws <see cref="InvalidOperationException"/>(message); x only makes it depend on x.</summary>
    public static readonly TaskDescriptor Bad = Sync("Bad", static (in TaskArguments a, CancellationToken _) => throw new InvalidOperationException(a.Get<string>(0)), typeof(string), typeof(int));

    /// <summary>Head(string message) throws <see cref="InvalidOperationException"/>(message).</summary>
    public static readonly TaskDescriptor Head = Sync("Head", static (in TaskArguments a, CancellationToken _) => throw new InvalidOperationException(a.Get<string>(0)), typeof(string));

    /// <summary>"Bad"(string message) with one retry: throws <see cref="InvalidOperationException"/>(message) every time.</summary>
    public static readonly TaskDescriptor BadRetried = new(
        Id("BadRetried"),
        "Bad",
        static (in TaskArguments a, CancellationToken _) => throw new InvalidOperationException(a.Get<string>(0)),
        retries: 1,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>Flaky(int x, string dir): counts its calls in dir/calls; the first two throw, the third returns 2x.</summary>
    public static readonly TaskDescriptor Flaky = new(
        Id("Flaky"),
        "Flaky",
        static (in TaskArguments a, CancellationToken _) => Scratch.Append(a.Get<string>(1), "calls") < 3 ? throw new IOException("transient") : a.Get<int>(0) * 2,
        retries: 2,
        codec: new SimpleCodec(typeof(int), typeof(string)));

    /// <summary>Broken(string dir): counts its calls in dir/calls and always throws "failure {call}".</summary>
    public static readonly TaskDescriptor Broken = new(
        Id("Broken"),
        "Broken",
        static (in TaskArguments a, CancellationToken _) => throw new IOException($"failure {Scratch.Append(a.Get<string>(0), "calls")}"),
        retries: 2,
        retryDelayMs: 1,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>
    /// RetriedOnIo(string dir): counts its calls in dir/calls; the first two throw a
    /// <see cref="FileNotFoundException"/>, derived from the <see cref="IOException"/> its RetryOn lists,
    /// the third returns the count. Three retries allowed.
    /// </summary>
    public static readonly TaskDescriptor RetriedOnIo = new(
        Id("RetriedOnIo"),
        "RetriedOnIo",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var call = Scratch.Append(a.Get<string>(0), "calls");
            return call < 3 ? throw new FileNotFoundException($"not there yet ({call})", "input.csv") : call;
        },
        retries: 3,
        retryOn: [typeof(IOException).FullName!],
        codec: new SimpleCodec(typeof(string)));

    /// <summary>
    /// NotRetriedOnIo(string dir): counts its calls in dir/calls and throws an
    /// <see cref="ArgumentException"/>, which its RetryOn (<see cref="IOException"/>) does not list. Three retries allowed.
    /// </summary>
    public static readonly TaskDescriptor NotRetriedOnIo = new(
        Id("NotRetriedOnIo"),
        "NotRetriedOnIo",
        static (in TaskArguments a, CancellationToken _) => throw new ArgumentException($"bad input ({Scratch.Append(a.Get<string>(0), "calls")})"),
        retries: 3,
        retryOn: [typeof(IOException).FullName!],
        codec: new SimpleCodec(typeof(string)));

    /// <summary>
    /// SlowNotRetried(string dir): counts its calls in dir/calls, then waits on its token; times out after
    /// 50 ms. Two retries allowed, but its RetryOn (<see cref="IOException"/>) does not list timeouts.
    /// </summary>
    public static readonly TaskDescriptor SlowNotRetried = new(
        Id("SlowNotRetried"),
        "SlowNotRetried",
        static (in TaskArguments a, CancellationToken ct) =>
        {
            Scratch.Append(a.Get<string>(0), "calls");
            return WaitForTokenAsync(ct);
        },
        static t => ((Task<int>)t).Result,
        retries: 2,
        retryOn: [typeof(IOException).FullName!],
        timeoutMs: 50,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>Slow(): waits on its token forever; times out after 50 ms.</summary>
    public static readonly TaskDescriptor Slow = Async("Slow", static (in TaskArguments _, CancellationToken ct) => WaitForTokenAsync(ct), timeoutMs: 50);

    /// <summary>"Hung"(string dir), async: ignores its token and waits until the test releases it; times out after <see cref="HungTimeoutMs"/>.</summary>
    public static readonly TaskDescriptor HungAsync = Async("HungAsync", "Hung", static (in TaskArguments a, CancellationToken _) => HungAsyncBody(a.Get<string>(0)), timeoutMs: HungTimeoutMs, typeof(string));

    /// <summary>"Hung"(string dir), synchronous: blocks its thread, ignoring its token, until released; then creates dir/returned.</summary>
    public static readonly TaskDescriptor HungSync = new(
        Id("HungSync"),
        "Hung",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var dir = a.Get<string>(0);
            Scratch.BlockUntilReleased(dir);
            Scratch.Signal(dir, "returned");
            return 1;
        },
        // Long enough that the code has surely started when its time is up: the tests assert what
        // happens to code that runs on. With 50 ms, a cluster under load (CI runs the test assemblies
        // side by side on 2 cores) still had the request queued on its way when the timeout cancelled
        // it, and reported a plain timeout of code that never ran.
        timeoutMs: HungTimeoutMs,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>The hung tasks' time limit (see <see cref="HungSync"/>).</summary>
    public const int HungTimeoutMs = 1000;

    /// <summary>
    /// SlowOnce(string dir): its first call waits on its token past the timeout; later calls return 7.
    /// The timeout must leave the second call room to finish: in a worker process that is several
    /// thread and process hand-offs, which took over 500 ms on this 2-core machine under heavy load.
    /// </summary>
    public static readonly TaskDescriptor SlowOnce = new(
        Id("SlowOnce"),
        "SlowOnce",
        static (in TaskArguments a, CancellationToken ct) => SlowOnceBody(a.Get<string>(0), ct),
        static t => ((Task<int>)t).Result,
        retries: 1,
        timeoutMs: 2000,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>Waits(string dir): creates dir/started, then waits on its token.</summary>
    public static readonly TaskDescriptor Waits = Async("Waits", "Waits", static (in TaskArguments a, CancellationToken ct) => WaitsBody(a.Get<string>(0), ct), timeoutMs: 0, typeof(string));

    /// <summary>Deaf(string dir): creates dir/started, then ignores its token until the test releases it.</summary>
    public static readonly TaskDescriptor Deaf = Async("Deaf", "Deaf", static (in TaskArguments a, CancellationToken _) => DeafBody(a.Get<string>(0)), timeoutMs: 0, typeof(string));

    /// <summary>
    /// DeafSync(string dir, int i), synchronous: creates dir/started-i, then blocks its thread, ignoring
    /// its token, until released; then creates dir/returned-i. Its long timeout only makes a worker
    /// process run it alone (it never fires in a test).
    /// </summary>
    public static readonly TaskDescriptor DeafSync = new(
        Id("DeafSync"),
        "DeafSync",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var dir = a.Get<string>(0);
            var i = a.Get<int>(1);
            Scratch.Signal(dir, $"started-{i}");
            Scratch.BlockUntilReleased(dir);
            Scratch.Signal(dir, $"returned-{i}");
            return i;
        },
        timeoutMs: 2 * (int)Scratch.Patience.TotalMilliseconds,
        codec: new SimpleCodec(typeof(string), typeof(int)));

    /// <summary>Counted(string dir): counts its calls in dir/calls and returns the count.</summary>
    public static readonly TaskDescriptor Counted = Sync("Counted", static (in TaskArguments a, CancellationToken _) => Scratch.Append(a.Get<string>(0), "calls"), typeof(string));

    public static readonly TaskDescriptor Square = Sync("Square", static (in TaskArguments a, CancellationToken _) => a.Get<int>(0) * a.Get<int>(0), typeof(int));

    public static readonly TaskDescriptor Sum = Sync("Sum", static (in TaskArguments a, CancellationToken _) => a.Get<int[]>(0).Sum(), typeof(int[]));

    /// <summary>Ones(int n): a large result, n ones.</summary>
    public static readonly TaskDescriptor Ones = Sync("Ones", static (in TaskArguments a, CancellationToken _) => Enumerable.Repeat(1, a.Get<int>(0)).ToArray(), typeof(int));

    /// <summary>Picky(int x) returns x, except for 3, where it throws.</summary>
    public static readonly TaskDescriptor Picky = Sync("Picky", static (in TaskArguments a, CancellationToken _) => a.Get<int>(0) == 3 ? throw new ArgumentException("three") : a.Get<int>(0), typeof(int));

    /// <summary>Twice(int x), async: yields, then returns 2x.</summary>
    public static readonly TaskDescriptor Twice = Async("Twice", "Twice", static (in TaskArguments a, CancellationToken _) => TwiceBody(a.Get<int>(0)), timeoutMs: 0, typeof(int));

    /// <summary>
    /// Rendezvous(int x, string dir, int count), async: creates dir/arrived-x, then waits (without
    /// holding a thread) until count of them exist, and returns x.
    /// </summary>
    public static readonly TaskDescriptor Rendezvous = Async("Rendezvous", "Rendezvous", static (in TaskArguments a, CancellationToken _) => RendezvousBody(a.Get<int>(0), a.Get<string>(1), a.Get<int>(2)), timeoutMs: 0, typeof(int), typeof(string), typeof(int));

    /// <summary>
    /// Tracked(int x, string dir): while it runs, dir/running-x exists; it records how many
    /// running-* files it saw as dir/seen-{count}-x, so the test can compute the peak afterwards.
    /// </summary>
    public static readonly TaskDescriptor Tracked = Sync("Tracked", static (in TaskArguments a, CancellationToken _) =>
    {
        var x = a.Get<int>(0);
        var dir = a.Get<string>(1);
        var marker = Path.Combine(dir, $"running-{x}");
        File.WriteAllText(marker, string.Empty);
        Scratch.Signal(dir, $"seen-{Scratch.Count(dir, "running-*")}-{x}");
        Thread.SpinWait(20_000);
        File.Delete(marker);
        return x;
    }, typeof(int), typeof(string));

    /// <summary>Meet(string dir): creates a dir/met-* file, then blocks until another Meet has too; returns 1.</summary>
    public static readonly TaskDescriptor Meet = Sync("Meet", static (in TaskArguments a, CancellationToken _) =>
    {
        var dir = a.Get<string>(0);
        Scratch.Signal(dir, $"met-{Guid.NewGuid():N}");
        return Scratch.PollUntil(() => Scratch.Count(dir, "met-*") >= 2) ? 1 : throw new TimeoutException("the other task never started");
    }, typeof(string));

    /// <summary>
    /// Ready(int i, string dir, int count): creates dir/ready-i and blocks until count of them exist,
    /// then returns its process id. It has a timeout, so a worker process runs it alone: count of them
    /// finish only when count workers are alive and idle at once.
    /// </summary>
    public static readonly TaskDescriptor Ready = new(
        Id("Ready"),
        "Ready",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var dir = a.Get<string>(1);
            var count = a.Get<int>(2);
            Scratch.Signal(dir, $"ready-{a.Get<int>(0)}");
            return Scratch.PollUntil(() => Scratch.Count(dir, "ready-*") >= count) ? Environment.ProcessId : throw new TimeoutException($"fewer than {count} workers became ready");
        },
        retries: 2,
        timeoutMs: (int)Scratch.Patience.TotalMilliseconds,
        codec: new SimpleCodec(typeof(int), typeof(string), typeof(int)));

    /// <summary>
    /// Timed(int element, string dir, int ms): works for ms milliseconds (the test's stand-in for
    /// real work) and writes, into dir/timed-{element}, when its code started and ended by the
    /// machine's clock (UTC ticks): what the task's record must say, wherever the task ran.
    /// </summary>
    public static readonly TaskDescriptor Timed = Sync(
        "Timed",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var start = DateTime.UtcNow.Ticks;
            Thread.Sleep(a.Get<int>(2));
            var end = DateTime.UtcNow.Ticks;
            File.WriteAllText(Path.Combine(a.Get<string>(1), $"timed-{a.Get<int>(0)}"), FormattableString.Invariant($"{start} {end}"));
            return a.Get<int>(0);
        },
        typeof(int),
        typeof(string),
        typeof(int));

    /// <summary>
    /// Where(int element, string dir): creates dir/at-{process}-{thread}-{element}, naming the worker
    /// it runs on, and blocks until the test releases dir; returns the process id.
    /// </summary>
    public static readonly TaskDescriptor Where = Sync(
        "Where",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var dir = a.Get<string>(1);
            Scratch.Signal(dir, FormattableString.Invariant($"at-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}-{a.Get<int>(0)}"));
            Scratch.BlockUntilReleased(dir);
            return Environment.ProcessId;
        },
        typeof(int),
        typeof(string));

    /// <summary>Shout(string token): writes "out {token}" to the console's output and "err {token}" to its error; returns 1.</summary>
    public static readonly TaskDescriptor Shout = Sync(
        "Shout",
        static (in TaskArguments a, CancellationToken _) =>
        {
            Console.WriteLine($"out {a.Get<string>(0)}");
            Console.Error.WriteLine($"err {a.Get<string>(0)}");
            return 1;
        },
        typeof(string));

    /// <summary>Every task above, for the registry.</summary>
    internal static readonly TaskDescriptor[] All =
    [
        Concat, Bad, Head, BadRetried, Flaky, Broken, RetriedOnIo, NotRetriedOnIo, SlowNotRetried, Slow, HungAsync, HungSync, SlowOnce, Waits, Deaf, DeafSync, Counted,
        Square, Sum, Ones, Picky, Twice, Rendezvous, Tracked, Meet, Ready, Timed, Where, Shout,
    ];

    private static string Id(string name) => $"Tests.Conformance.{name}";

    private static TaskDescriptor Sync(string name, TaskInvoker invoke, params Type[] parameters) =>
        new(Id(name), name, invoke, codec: new SimpleCodec(parameters));

    private static TaskDescriptor Async(string name, TaskInvoker invoke, int timeoutMs) =>
        Async(name, name, invoke, timeoutMs);

    private static TaskDescriptor Async(string id, string name, TaskInvoker invoke, int timeoutMs, params Type[] parameters) =>
        new(Id(id), name, invoke, static t => ((Task<int>)t).Result, timeoutMs: timeoutMs, codec: new SimpleCodec(parameters));

    private static async Task<int> WaitForTokenAsync(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> HungAsyncBody(string dir)
    {
        await Scratch.WaitUntilReleasedAsync(dir).ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> SlowOnceBody(string dir, CancellationToken ct)
    {
        if (Scratch.Append(dir, "calls") == 1)
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }

        return 7;
    }

    private static async Task<int> WaitsBody(string dir, CancellationToken ct)
    {
        Scratch.Signal(dir, "started");
        await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> DeafBody(string dir)
    {
        Scratch.Signal(dir, "started");
        await Scratch.WaitUntilReleasedAsync(dir).ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> TwiceBody(int x)
    {
        await Task.Yield();
        return x * 2;
    }

    private static async Task<int> RendezvousBody(int x, string dir, int count)
    {
        Scratch.Signal(dir, $"arrived-{x}");
        var deadline = DateTime.UtcNow + Scratch.Patience;
        while (Scratch.Count(dir, "arrived-*") < count)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"only {Scratch.Count(dir, "arrived-*")} of {count} tasks started");
            }

            await Task.Delay(2).ConfigureAwait(false);
        }

        return x;
    }
}
