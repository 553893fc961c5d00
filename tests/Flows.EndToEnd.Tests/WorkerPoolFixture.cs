namespace Flows.EndToEnd.Tests;

/// <summary>Worker processes and a local cluster shared by a test class: starting them costs more than most tests.</summary>
public sealed class WorkerPoolFixture : IAsyncLifetime
{
    public ProcessExecutor Executor { get; } = new(numWorkers: 2);

    /// <summary>A local cluster of two workers, made the lazy way: the first run starts it.</summary>
    public ClusterExecutor Cluster { get; } = new(workers: 2);

    /// <summary>The executors every end-to-end construct is tested on.</summary>
    public static TheoryData<string> ExecutorNames => new() { "local", "threads", "processes", "cluster" };

    /// <summary>The executor a test named: local and threads made for it, processes and cluster shared.</summary>
    public ExecutorLease Lease(string name) => name switch
    {
        "local" => new ExecutorLease(new LocalExecutor(), Owned: true),
        "threads" => new ExecutorLease(new ThreadExecutor(numWorkers: 2), Owned: true),
        "processes" => new ExecutorLease(Executor, Owned: false),
        "cluster" => new ExecutorLease(Cluster, Owned: false),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Expected local, threads, processes or cluster."),
    };

    public Task InitializeAsync() => Executor.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        Executor.Dispose();
        await Cluster.DisposeAsync();
    }
}
