using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Flows.Hosting.Tests;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task The_check_is_unhealthy_before_the_host_starts_and_after_it_stops()
    {
        var host = TestHost.Build();
        var health = host.Host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);

        await host.StartAsync();
        var running = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, running.Status);
        Assert.Equal("threads", running.Entries["flows"].Data["executor"]);

        await host.Host.StopAsync().WaitAsync(Patience.Timeout);
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync()).Status);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task A_killed_worker_process_makes_the_check_unhealthy_until_its_replacement_is_up()
    {
        await using var host = await TestHost.Build(f => f.UseProcesses(1)).StartAsync();
        var health = host.Host.Services.GetRequiredService<HealthCheckService>();
        var processes = (ProcessExecutor)host.Flows.Executor;
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        var killed = processes.WorkerProcessIds.Single();
        Kill(killed);
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("0 of 1 worker processes alive", report.Entries["flows"].Description);

        // The pool replaces a dead worker on its own: healthy again once the new one has shaken hands.
        await WaitUntilAsync(() => processes.WorkerProcessIds.Count == 1 && processes.WorkerProcessIds[0] != killed);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task One_killed_worker_of_two_makes_the_check_degraded()
    {
        await using var host = await TestHost.Build(f => f.UseProcesses(2)).StartAsync();
        var health = host.Host.Services.GetRequiredService<HealthCheckService>();
        var processes = (ProcessExecutor)host.Flows.Executor;

        Kill(processes.WorkerProcessIds[0]);
        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("1 of 2 worker processes alive", report.Entries["flows"].Description);
    }

    [Fact]
    public async Task A_probe_reports_on_an_executor_the_host_does_not_know()
    {
        await using var host = await TestHost.Build(f => f
            .UseThreads(1)
            .UseHealthProbe((e, _) => Task.FromResult(new FlowsHealth(HealthStatus.Degraded, $"{e.Name}: 1 of 3 members")))).StartAsync();
        var report = await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal("threads: 1 of 3 members", report.Entries["flows"].Description);
    }

    [Fact]
    public async Task A_cluster_executor_reports_its_membership_with_no_probe()
    {
        await using var host = await TestHost.Build(f => f
            .UseExecutor(async (_, ct) => await ClusterExecutor.StartLocalAsync(workers: 1, cancellationToken: ct))).StartAsync();
        var report = await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["flows"];
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("1 of 1 cluster workers are active members.", entry.Description);
        Assert.Equal("cluster", entry.Data["executor"]);
        Assert.Equal(1, entry.Data["workers"]);
        Assert.Equal(1, entry.Data["alive"]);
    }

    [Fact]
    public async Task A_probe_replaces_the_executors_own_answer()
    {
        await using var host = await TestHost.Build(f => f
            .UseProcesses(1)
            .UseHealthProbe((e, _) => Task.FromResult(new FlowsHealth(HealthStatus.Healthy, "the probe's word")))).StartAsync();
        var health = host.Host.Services.GetRequiredService<HealthCheckService>();
        var processes = (ProcessExecutor)host.Flows.Executor;

        Kill(processes.WorkerProcessIds.Single());
        var report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("the probe's word", report.Entries["flows"].Description);
        Assert.False(report.Entries["flows"].Data.ContainsKey("alive"));
    }

    [Fact]
    public async Task The_data_of_a_process_executor_holds_its_workers_and_those_alive()
    {
        await using var host = await TestHost.Build(f => f.UseProcesses(2)).StartAsync();
        var report = await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var entry = report.Entries["flows"];
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("2 of 2 worker processes alive.", entry.Description);
        Assert.Equal(2, entry.Data["workers"]);
        Assert.Equal(2, entry.Data["alive"]);
    }

    private static void Kill(int processId)
    {
        using var process = Process.GetProcessById(processId);
        process.Kill();
        Assert.True(process.WaitForExit(Patience.Timeout), $"worker process {processId} did not exit after Kill");
    }

    /// <summary>Polls a condition the pool exposes no event for, failing loudly after the patience.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience.Timeout)
            {
                throw new TimeoutException($"The condition did not hold within {Patience.Timeout}.");
            }

            await Task.Delay(20);
        }
    }
}
