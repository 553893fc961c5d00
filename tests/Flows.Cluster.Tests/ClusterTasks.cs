using Flows.Graph;

namespace Flows.Cluster.Tests;

/// <summary>Tasks for the cluster's own tests (fault recovery, long tasks), registered in <see cref="ClusterTaskRegistry"/>.</summary>
public static class ClusterTasks
{
    /// <summary>Records which process made value <c>v</c> (a file per run of it), returns 10·v.</summary>
    public static readonly TaskDescriptor Produce = Sync("Produce", static (in TaskArguments a, CancellationToken _) =>
    {
        var value = a.Get<int>(1);
        File.WriteAllText(Path.Combine(a.Get<string>(0), $"produced.{value}.{Environment.ProcessId}.{Guid.NewGuid():N}"), string.Empty);
        return value * 10;
    }, typeof(string), typeof(int));

    /// <summary>Announces its process (<c>waiting.PID</c>), blocks until <c>go</c> exists, then returns its input + 1.</summary>
    public static readonly TaskDescriptor WaitThenInc = Sync("WaitThenInc", static (in TaskArguments a, CancellationToken _) => WaitThenIncBody(a), typeof(string), typeof(int));

    /// <summary>As <see cref="WaitThenInc"/>, with one retry.</summary>
    public static readonly TaskDescriptor WaitThenIncRetried = new(
        "Tests.Cluster.WaitThenIncRetried",
        "WaitThenIncRetried",
        static (in TaskArguments a, CancellationToken _) => WaitThenIncBody(a),
        retries: 1,
        codec: new SimpleCodec(typeof(string), typeof(int)));

    private static int WaitThenIncBody(in TaskArguments a)
    {
        var directory = a.Get<string>(0);
        File.WriteAllText(Path.Combine(directory, $"waiting.{Environment.ProcessId}"), string.Empty);
        var deadline = DateTime.UtcNow + Scratch.Patience;
        while (!File.Exists(Path.Combine(directory, "go")) && Directory.Exists(directory) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        return a.Get<int>(1) + 1;
    }

    /// <summary>Kills its worker every time (a poison task), with one retry.</summary>
    public static readonly TaskDescriptor Poison = new(
        "Tests.Cluster.Poison",
        "Poison",
        static (in TaskArguments a, CancellationToken _) =>
        {
            Environment.FailFast("poison task " + a.Get<string>(0));
            return 0;
        },
        retries: 1,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>Blocks its thread for the given milliseconds, then returns them.</summary>
    public static readonly TaskDescriptor Sleep = Sync("Sleep", static (in TaskArguments a, CancellationToken _) =>
    {
        Thread.Sleep(a.Get<int>(0));
        return a.Get<int>(0);
    }, typeof(int));

    /// <summary>A large result: n ones.</summary>
    public static readonly TaskDescriptor Ones = Sync("Ones", static (in TaskArguments a, CancellationToken _) => Enumerable.Repeat(1, a.Get<int>(0)).ToArray(), typeof(int));

    /// <summary>The sum of two arrays' lengths.</summary>
    public static readonly TaskDescriptor Lengths = Sync("Lengths", static (in TaskArguments a, CancellationToken _) => a.Get<int[]>(0).Length + a.Get<int[]>(1).Length, typeof(int[]), typeof(int[]));

    /// <summary>Announces itself (<c>deaf.GUID</c>), then holds its thread, ignoring its token, until the test releases it; times out after 300 ms.</summary>
    public static readonly TaskDescriptor DeafTimedOut = new(
        "Tests.Cluster.DeafTimedOut",
        "DeafTimedOut",
        static (in TaskArguments a, CancellationToken _) => HoldIgnoringToken(a.Get<string>(0)),
        timeoutMs: 300,
        codec: new SimpleCodec(typeof(string)));

    /// <summary>As <see cref="DeafTimedOut"/>, without a time limit (ended by cancelling the run).</summary>
    public static readonly TaskDescriptor Deaf = Sync("Deaf", static (in TaskArguments a, CancellationToken _) => HoldIgnoringToken(a.Get<string>(0)), typeof(string));

    internal static readonly TaskDescriptor[] All = [Produce, WaitThenInc, Poison, Sleep, Ones, Lengths, DeafTimedOut, Deaf, WaitThenIncRetried];

    private static int HoldIgnoringToken(string directory)
    {
        Scratch.Signal(directory, $"deaf.{Guid.NewGuid():N}");
        Scratch.BlockUntilReleased(directory);
        return 0;
    }

    private static TaskDescriptor Sync(string name, TaskInvoker invoke, params Type[] parameters) =>
        new($"Tests.Cluster.{name}", name, invoke, codec: new SimpleCodec(parameters));
}
