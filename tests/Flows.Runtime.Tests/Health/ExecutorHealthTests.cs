using System.Diagnostics;

namespace Flows.Runtime.Tests.Health;

/// <summary>What executors say of themselves (<see cref="FlowExecutor.CheckHealthAsync"/>): in-process ones are healthy, a process executor counts its live worker processes.</summary>
public sealed class ExecutorHealthTests
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    [Fact]
    public async Task A_local_executor_is_healthy_and_has_no_workers_to_count()
    {
        using var executor = new LocalExecutor();
        var health = await executor.CheckHealthAsync();

        Assert.Equal(ExecutorHealthStatus.Healthy, health.Status);
        Assert.Equal("The local executor runs tasks in this process (1 at a time).", health.Description);
        Assert.Null(health.Workers);
        Assert.Null(health.Alive);
    }

    [Fact]
    public async Task A_thread_executor_is_healthy()
    {
        using var executor = new ThreadExecutor(numWorkers: 3);
        var health = await executor.CheckHealthAsync();

        Assert.Equal(ExecutorHealthStatus.Healthy, health.Status);
        Assert.Contains("threads executor", health.Description);
        Assert.Contains("3 at a time", health.Description);
    }

    [Fact]
    public async Task A_process_executor_is_unhealthy_before_it_starts_and_after_it_is_disposed()
    {
        var executor = new ProcessExecutor(numWorkers: 1);
        var before = await executor.CheckHealthAsync();
        Assert.Equal(ExecutorHealthStatus.Unhealthy, before.Status);
        Assert.Contains("not started", before.Description);
        Assert.Equal(1, before.Workers);
        Assert.Equal(0, before.Alive);

        await executor.StartAsync().WaitAsync(Patience);
        Assert.Equal(ExecutorHealthStatus.Healthy, (await executor.CheckHealthAsync()).Status);

        executor.Dispose();
        var after = await executor.CheckHealthAsync();
        Assert.Equal(ExecutorHealthStatus.Unhealthy, after.Status);
        Assert.Contains("disposed", after.Description);
    }

    [Fact]
    public async Task A_started_process_executor_is_healthy_with_every_worker_alive()
    {
        using var executor = new ProcessExecutor(numWorkers: 2);
        await executor.StartAsync().WaitAsync(Patience);
        var health = await executor.CheckHealthAsync();

        Assert.Equal(ExecutorHealthStatus.Healthy, health.Status);
        Assert.Equal("2 of 2 worker processes alive.", health.Description);
        Assert.Equal(2, health.Workers);
        Assert.Equal(2, health.Alive);
    }

    [Fact]
    public async Task One_killed_worker_of_two_makes_a_process_executor_degraded()
    {
        using var executor = new ProcessExecutor(numWorkers: 2);
        await executor.StartAsync().WaitAsync(Patience);

        Kill(executor.WorkerProcessIds[0]);
        var health = await executor.CheckHealthAsync();

        Assert.Equal(ExecutorHealthStatus.Degraded, health.Status);
        Assert.StartsWith("1 of 2 worker processes alive", health.Description);
        Assert.Equal(1, health.Alive);
    }

    [Fact]
    public async Task A_killed_only_worker_makes_a_process_executor_unhealthy_until_its_replacement_is_up()
    {
        using var executor = new ProcessExecutor(numWorkers: 1);
        await executor.StartAsync().WaitAsync(Patience);
        var killed = executor.WorkerProcessIds.Single();

        Kill(killed);
        var health = await executor.CheckHealthAsync();
        Assert.Equal(ExecutorHealthStatus.Unhealthy, health.Status);
        Assert.StartsWith("0 of 1 worker processes alive", health.Description);

        // The pool replaces a dead worker on its own: healthy again once the new one has shaken hands.
        var replaced = await WaitForHealthAsync(executor, h => h.Status == ExecutorHealthStatus.Healthy && !executor.WorkerProcessIds.Contains(killed));
        Assert.Equal(1, replaced.Alive);
    }

    private static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
        Assert.True(process.WaitForExit(Patience), $"worker process {processId} did not exit after Kill");
    }

    /// <summary>Asks the executor until its answer passes <paramref name="condition"/> (it raises no event for it), failing loudly after the patience.</summary>
    private static async Task<ExecutorHealth> WaitForHealthAsync(FlowExecutor executor, Func<ExecutorHealth, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var health = await executor.CheckHealthAsync();
            if (condition(health))
            {
                return health;
            }

            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"The executor's health did not reach the expected state within {Patience}; last: {health.Status}, {health.Description}");
            }

            await Task.Delay(20);
        }
    }
}
