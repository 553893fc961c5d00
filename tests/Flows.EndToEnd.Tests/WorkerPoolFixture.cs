namespace Flows.EndToEnd.Tests;

/// <summary>Worker processes shared by a test class: starting them costs more than most tests.</summary>
public sealed class WorkerPoolFixture : IAsyncLifetime
{
    public ProcessExecutor Executor { get; } = new(numWorkers: 2);

    public Task InitializeAsync() => Executor.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public Task DisposeAsync()
    {
        Executor.Dispose();
        return Task.CompletedTask;
    }
}
