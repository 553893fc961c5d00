namespace Flows.Console.Tests;

/// <summary>Worker processes and a local cluster shared by a test class: starting them costs more than most tests.</summary>
public sealed class WorkerPoolFixture : IAsyncLifetime
{
    public ProcessExecutor Processes { get; } = new(numWorkers: 2);

    /// <summary>A local cluster of two workers, made the lazy way: the first run starts it.</summary>
    public ClusterExecutor Cluster { get; } = new(workers: 2);

    public Task InitializeAsync() => Processes.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async Task DisposeAsync()
    {
        Processes.Dispose();
        await Cluster.DisposeAsync();
    }
}
