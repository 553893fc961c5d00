using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>Tasks for the cluster's own tests (fault recovery, long tasks), registered in <see cref="TestTaskRegistry"/>.</summary>
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
    public static readonly TaskDescriptor WaitThenInc = Sync("WaitThenInc", static (in TaskArguments a, CancellationToken _) =>
    {
        var directory = a.Get<string>(0);
        File.WriteAllText(Path.Combine(directory, $"waiting.{Environment.ProcessId}"), string.Empty);
        var deadline = DateTime.UtcNow + Scratch.Patience;
        while (!File.Exists(Path.Combine(directory, "go")) && Directory.Exists(directory) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        return a.Get<int>(1) + 1;
    }, typeof(string), typeof(int));

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

    internal static readonly TaskDescriptor[] All = [Produce, WaitThenInc, Poison, Sleep, Ones, Lengths];

    private static TaskDescriptor Sync(string name, TaskInvoker invoke, params Type[] parameters) =>
        new($"Tests.Cluster.{name}", name, invoke, codec: new SimpleCodec(parameters));
}
