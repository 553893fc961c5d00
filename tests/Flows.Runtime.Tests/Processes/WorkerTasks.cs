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

    public static readonly TaskDescriptor NoCodec = new("Tests.Worker.NoCodec", "NoCodec", static (in TaskArguments a, CancellationToken _) => 1);

    /// <summary>Every task above that a worker can run (not the shared Inc and Add, nor NoCodec), for the registry.</summary>
    internal static readonly TaskDescriptor[] All = [Sum, Pid, Throw, FailFast, Overflow, CrashOnce, WaitForFile, Hang, WaitForCancel];

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
