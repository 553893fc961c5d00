using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>Tasks that run in worker processes, with their descriptors written by hand (registered in <see cref="TestTaskRegistry"/>).</summary>
public static class WorkerTasks
{
    public static readonly TaskDescriptor Inc = Tasks.Inc;

    public static readonly TaskDescriptor Add = Tasks.Add;

    public static readonly TaskDescriptor Sum = Sync("Sum", static (in TaskArguments a, CancellationToken _) => a.Get<int[]>(0).Sum(), typeof(int[]));

    public static readonly TaskDescriptor Pid = Sync("Pid", static (in TaskArguments a, CancellationToken _) => Environment.ProcessId, typeof(int));

    public static readonly TaskDescriptor Throw = Sync("Throw", static (in TaskArguments a, CancellationToken _) => throw new InvalidDataException(a.Get<string>(0)), typeof(string));

    /// <summary>Ends its worker process abruptly, like a crash in native code.</summary>
    public static readonly TaskDescriptor FailFast = Sync("FailFast", static (in TaskArguments a, CancellationToken _) =>
    {
        Environment.FailFast(a.Get<string>(0));
        return 0;
    }, typeof(string));

    /// <summary>Recurses without end: a stack overflow, which no .NET code can catch, ends the worker.</summary>
    public static readonly TaskDescriptor Overflow = Sync("Overflow", static (in TaskArguments a, CancellationToken _) => Recurse(a.Get<int>(0)), typeof(int));

    /// <summary>Crashes its worker the first time (when the marker file does not exist yet), then succeeds.</summary>
    public static readonly TaskDescriptor CrashOnce = new(
        "Tests.Worker.CrashOnce",
        "CrashOnce",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var marker = a.Get<string>(0);
            if (!File.Exists(marker))
            {
                File.WriteAllText(marker, "crashed once");
                Environment.FailFast("crashing on purpose, once");
            }

            return Environment.ProcessId;
        },
        retries: 1,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>Writes its pid to a file, then blocks (ignoring its token) until a second file appears.</summary>
    public static readonly TaskDescriptor WaitForFile = new(
        "Tests.Worker.WaitForFile",
        "WaitForFile",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var directory = a.Get<string>(0);
            File.WriteAllText(Path.Combine(directory, $"running.{Environment.ProcessId}"), string.Empty);
            while (!File.Exists(Path.Combine(directory, "go")))
            {
                Thread.Sleep(10);
            }

            return 1;
        },
        codec: new SimpleCodec(typeof(string)));

    /// <summary>Blocks without looking at its token, far past its timeout.</summary>
    public static readonly TaskDescriptor Hang = new(
        "Tests.Worker.Hang",
        "Hang",
        static (in TaskArguments a, CancellationToken _) =>
        {
            Thread.Sleep(Timeout.Infinite);
            return 0;
        },
        timeoutMs: 200,
        codec: new SimpleCodec(typeof(int)));

    /// <summary>Waits on its token; ends when the run is cancelled.</summary>
    public static readonly TaskDescriptor WaitForCancel = new(
        "Tests.Worker.WaitForCancel",
        "WaitForCancel",
        static (in TaskArguments a, CancellationToken ct) => WaitAsync(ct),
        static t => ((Task<int>)t).Result,
        codec: new SimpleCodec(typeof(int)));

    /// <summary>Big(int n, int seed): n ints, each depending on its index and the seed, so that contents can be checked (4n bytes: large values go through shared memory).</summary>
    public static readonly TaskDescriptor Big = new(
        "Tests.Worker.Big", "Big", static (in TaskArguments a, CancellationToken _) => BigArray(a.Get<int>(0), a.Get<int>(1)), codec: CountingCodec.Of(typeof(int), typeof(int)));

    /// <summary>Checksum(int[] a): a sum weighted by position, which any lost, moved or changed element alters.</summary>
    public static readonly TaskDescriptor Checksum = new(
        "Tests.Worker.Checksum", "Checksum", static (in TaskArguments a, CancellationToken _) => ChecksumOf(a.Get<int[]>(0)), codec: CountingCodec.Of(typeof(int[])));

    /// <summary>Pair(int[] a, int[] b): 3 × checksum(a) + checksum(b): the inputs' order matters.</summary>
    public static readonly TaskDescriptor Pair = new(
        "Tests.Worker.Pair", "Pair", static (in TaskArguments a, CancellationToken _) => (3 * ChecksumOf(a.Get<int[]>(0))) + ChecksumOf(a.Get<int[]>(1)), codec: CountingCodec.Of(typeof(int[]), typeof(int[])));

    /// <summary>AddLong(long a, long b).</summary>
    public static readonly TaskDescriptor AddLong = Sync("AddLong", static (in TaskArguments a, CancellationToken _) => a.Get<long>(0) + a.Get<long>(1), typeof(long), typeof(long));

    /// <summary>
    /// ChecksumAfterFile(int[] a, string dir): writes its pid to <c>dir/running.PID</c>, waits (ignoring its token) for
    /// <c>dir/go</c>, then returns checksum(a). Retried once: a worker killed while it holds the input.
    /// </summary>
    public static readonly TaskDescriptor ChecksumAfterFile = new(
        "Tests.Worker.ChecksumAfterFile",
        "ChecksumAfterFile",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var directory = a.Get<string>(1);
            File.WriteAllText(Path.Combine(directory, $"running.{Environment.ProcessId}"), string.Empty);
            while (!File.Exists(Path.Combine(directory, "go")))
            {
                Thread.Sleep(10);
            }

            return ChecksumOf(a.Get<int[]>(0));
        },
        retries: 1,
        codec: new SimpleCodec(typeof(int[]), typeof(string)));

    /// <summary>SharedFilesSeen(int[] a, string dir): how many files <c>dir</c> (a pool's shared-memory folder) holds while it runs; -1 when a is not whole.</summary>
    public static readonly TaskDescriptor SharedFilesSeen = Sync(
        "SharedFilesSeen",
        static (in TaskArguments a, CancellationToken _) => a.Get<int[]>(0) is { Length: > 0 } values && values[^1] == unchecked(((values.Length - 1) * 31) + values[0])
            ? (long)Directory.GetFiles(a.Get<string>(1)).Length
            : -1L,
        typeof(int[]),
        typeof(string));

    /// <summary>ChecksumOrWait(int[] a, int gate): checksum(a); the gate only orders it after another task.</summary>
    public static readonly TaskDescriptor ChecksumAfter = Sync("ChecksumAfter", static (in TaskArguments a, CancellationToken _) => ChecksumOf(a.Get<int[]>(0)), typeof(int[]), typeof(int));

    public static int[] BigArray(int n, int seed)
    {
        var values = new int[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = unchecked((i * 31) + seed);
        }

        return values;
    }

    public static long ChecksumOf(int[] values)
    {
        long sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += (long)values[i] * (i + 1);
        }

        return sum;
    }

    public static readonly TaskDescriptor NoCodec = new("Tests.Worker.NoCodec", "NoCodec", static (in TaskArguments a, CancellationToken _) => 1);

    /// <summary>Every task above that a worker can run (not the shared Inc and Add, nor NoCodec), for the registry.</summary>
    internal static readonly TaskDescriptor[] All = [Sum, Pid, Throw, FailFast, Overflow, CrashOnce, WaitForFile, Hang, WaitForCancel, Big, Checksum, Pair, AddLong, ChecksumAfterFile, ChecksumAfter, SharedFilesSeen];

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int Recurse(int depth) => depth == int.MinValue ? depth : Recurse(depth + 1) + 1;

    private static TaskDescriptor Sync(string name, TaskInvoker invoke, params Type[] parameters) =>
        new($"Tests.Worker.{name}", name, invoke, codec: new SimpleCodec(parameters));

    private static async Task<int> WaitAsync(CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        return 0;
    }
}
