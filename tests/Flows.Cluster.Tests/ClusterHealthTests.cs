using System.Diagnostics;

namespace Flows.Cluster.Tests;

/// <summary>
/// What a cluster executor says of itself (<see cref="ClusterExecutor.CheckHealthAsync"/>): its membership, active
/// workers of those expected. Real local clusters; the tests await the answer they expect with a loud timeout.
/// </summary>
public sealed class ClusterHealthTests
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    [Fact]
    public async Task A_cluster_made_with_the_constructor_is_unhealthy_until_it_starts()
    {
        await using var executor = new ClusterExecutor(workers: 2);
        var health = await executor.CheckHealthAsync();

        Assert.Equal(ExecutorHealthStatus.Unhealthy, health.Status);
        Assert.Contains("not started", health.Description);
        Assert.Equal(2, health.Workers);
        Assert.Equal(0, health.Alive);
    }

    [Fact]
    public async Task A_local_cluster_is_healthy_with_all_its_workers_and_unhealthy_once_disposed()
    {
        var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var health = await executor.CheckHealthAsync();
        Assert.Equal(ExecutorHealthStatus.Healthy, health.Status);
        Assert.Equal("2 of 2 cluster workers are active members.", health.Description);
        Assert.Equal(2, health.Workers);
        Assert.Equal(2, health.Alive);

        await executor.DisposeAsync();
        var disposed = await executor.CheckHealthAsync();
        Assert.Equal(ExecutorHealthStatus.Unhealthy, disposed.Status);
        Assert.Contains("disposed", disposed.Description);
    }

    [Fact]
    public async Task A_killed_worker_that_is_not_replaced_makes_the_cluster_degraded()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2, new LocalClusterOptions { ReplaceDeadWorkers = false });
        Kill(executor.WorkerProcesses.Values.First());

        var health = await WaitForHealthAsync(executor, h => h.Status == ExecutorHealthStatus.Degraded);
        Assert.Equal("1 of 2 cluster workers are active members; tasks run on fewer workers until the missing ones join.", health.Description);
        Assert.Equal(1, health.Alive);
    }

    [Fact]
    public async Task A_killed_worker_makes_the_cluster_degraded_until_its_replacement_has_joined()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var (killedKey, killedPid) = executor.WorkerProcesses.First();
        Kill(killedPid);

        // Lost at once (the process exit is seen first-hand): Degraded, unless the replacement has already joined.
        await WaitForHealthAsync(executor, h => !executor.Workers.Contains(killedKey));
        var healthy = await WaitForHealthAsync(executor, h => h.Status == ExecutorHealthStatus.Healthy && !executor.Workers.Contains(killedKey));
        Assert.Equal("2 of 2 cluster workers are active members.", healthy.Description);
        Assert.Equal(2, healthy.Alive);
    }

    [Fact]
    public async Task A_connected_client_is_healthy_with_its_minimum_workers_and_unhealthy_once_the_cluster_is_gone()
    {
        var local = await ClusterExecutor.StartLocalAsync(workers: 1);
        var (port, clusterId) = local.LocalGateway!.Value;
        await using var client = await ClusterExecutor.ConnectAsync(new ClusterConnectOptions { Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, Secret = local.LocalSecret, MinimumWorkers = 1 });
        var health = await client.CheckHealthAsync();
        Assert.Equal(ExecutorHealthStatus.Healthy, health.Status);
        Assert.Equal("1 of 1 cluster workers are active members.", health.Description);

        await local.DisposeAsync();
        var gone = await WaitForHealthAsync(client, h => h.Status == ExecutorHealthStatus.Unhealthy, TimeSpan.FromSeconds(90));
        Assert.StartsWith("The cluster's membership cannot be read (is the client still connected?)", gone.Description);
        Assert.Null(gone.Alive);
    }

    private static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
        Assert.True(process.WaitForExit(Patience), $"worker process {processId} did not exit after Kill");
    }

    /// <summary>Asks the executor until its answer passes <paramref name="condition"/> (it raises no event for it), failing loudly after the patience.</summary>
    private static async Task<ExecutorHealth> WaitForHealthAsync(FlowExecutor executor, Func<ExecutorHealth, bool> condition, TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var health = await executor.CheckHealthAsync();
            if (condition(health))
            {
                return health;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"The cluster's health did not reach the expected state within {limit}; last: {health.Status}, {health.Description}");
            }

            await Task.Delay(20);
        }
    }
}
