using Flows.Graph;

namespace Flows.Cluster.Tests;

/// <summary>Tasks for the durable-run tests on a cluster (<see cref="ClusterStoreTests"/>), registered in <see cref="ClusterTaskRegistry"/>.</summary>
public static class ClusterStoreTasks
{
    /// <summary>Fails while a file <c>fail</c> is in the folder; else returns its input + 1.</summary>
    public static readonly TaskDescriptor FailIf = new(
        "Tests.Cluster.FailIf",
        "FailIf",
        static (in TaskArguments a, CancellationToken _) => File.Exists(Path.Combine(a.Get<string>(0), "fail"))
            ? throw new InvalidOperationException("told to fail")
            : a.Get<int>(1) + 1,
        codec: new SimpleCodec(typeof(string), typeof(int)));

    /// <summary>As <see cref="ClusterTasks.Produce"/> (a file per run of it, 10·v), cached for five minutes.</summary>
    public static readonly TaskDescriptor CachedProduce = new(
        "Tests.Cluster.CachedProduce",
        "CachedProduce",
        static (in TaskArguments a, CancellationToken _) =>
        {
            var value = a.Get<int>(1);
            File.WriteAllText(Path.Combine(a.Get<string>(0), $"produced.{value}.{Environment.ProcessId}.{Guid.NewGuid():N}"), string.Empty);
            return value * 10;
        },
        codec: new SimpleCodec(typeof(string), typeof(int)),
        codeHash: "x",
        cacheFor: TimeSpan.FromMinutes(5));

    internal static readonly TaskDescriptor[] All = [FailIf, CachedProduce];
}
