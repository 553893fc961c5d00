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
    public async Task A_cluster_executor_is_reported_by_a_probe_on_its_membership()
    {
        await using var host = await TestHost.Build(f => f
            .UseExecutor(async (_, ct) => await ClusterExecutor.StartLocalAsync(workers: 1, cancellationToken: ct))
            .UseHealthProbe((e, _) => Task.FromResult(((ClusterExecutor)e).Workers.Count is var n && n > 0
                ? new FlowsHealth(HealthStatus.Healthy, $"{n} cluster worker(s)")
                : new FlowsHealth(HealthStatus.Unhealthy, "no cluster worker")))).StartAsync();
        var report = await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("1 cluster worker(s)", report.Entries["flows"].Description);
        Assert.Equal("cluster", report.Entries["flows"].Data["executor"]);
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
