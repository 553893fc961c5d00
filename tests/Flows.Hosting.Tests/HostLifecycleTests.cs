using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Flows.Hosting.Tests;

public sealed class HostLifecycleTests
{
    [Fact]
    public async Task The_executor_is_made_when_the_host_starts_and_disposed_when_it_stops()
    {
        var host = TestHost.Build(f => f.UseThreads(2));
        Assert.Throws<InvalidOperationException>(() => host.Flows.Executor);

        await host.StartAsync();
        var executor = host.Host.Services.GetRequiredService<FlowExecutor>();
        Assert.Same(host.Flows.Executor, executor);
        Assert.IsType<ThreadExecutor>(executor);
        var run = await host.Flows.RunAsync((e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 20, ct, o)).WaitAsync(Patience.Timeout);
        Assert.Equal(41, run.Result);

        var flows = host.Flows;
        await host.DisposeAsync();
        var stopped = Assert.Throws<InvalidOperationException>(() => flows.Executor);
        Assert.Contains("stopping or has stopped", stopped.Message);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => HostedFlows.ComputeFlow.RunAsync(executor, 1));
    }

    [Fact]
    public async Task An_executor_from_a_factory_is_the_hosts_and_is_disposed_once_when_the_host_stops()
    {
        var counting = new CountingExecutor();
        var host = await TestHost.Build(f => f.UseExecutor(_ => counting)).StartAsync();
        var run = await host.Flows.RunAsync((e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 4, ct, o)).WaitAsync(Patience.Timeout);
        Assert.Equal(9, run.Result);
        Assert.Equal(0, counting.Disposals);

        await host.Host.StopAsync().WaitAsync(Patience.Timeout);
        Assert.Equal(1, counting.Disposals);
        host.Host.Dispose();
        Assert.Equal(1, counting.Disposals);
    }

    [Fact]
    public async Task A_running_flow_is_waited_for_at_shutdown_and_new_runs_are_refused()
    {
        await using var host = await TestHost.Build().StartAsync();
        var gate = Gates.New();
        var run = host.Flows.RunAsync((e, o, ct) => HostedFlows.HoldingFlow.RunAsync(e, gate.Id, ct, o));
        await gate.WaitEnteredAsync();

        var stop = host.Host.StopAsync();
        Assert.False(stop.IsCompleted);
        Assert.Equal(1, host.Flows.RunningFlows);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Flows.RunAsync((e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 1, ct, o)));
        Assert.Contains("stopping", refused.Message);

        gate.Open.SetResult();
        await stop.WaitAsync(Patience.Timeout);
        var finished = await run.WaitAsync(Patience.Timeout);
        Assert.Equal(FlowState.Succeeded, finished.State);
        Assert.Equal(gate.Id, finished.Result);
        Assert.Equal(0, host.Logs.Count("cancelled"));
    }

    [Fact]
    public async Task A_flow_still_running_after_the_grace_is_cancelled_and_the_host_stops()
    {
        await using var host = await TestHost.Build(f => { f.UseThreads(2); f.ShutdownGrace = TimeSpan.FromSeconds(5); }).StartAsync();
        var gate = Gates.New();
        var run = host.Flows.RunAsync((e, o, ct) => HostedFlows.HoldingFlow.RunAsync(e, gate.Id, ct, o));
        await gate.WaitEnteredAsync();

        var stop = host.Host.StopAsync();
        host.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(stop.IsCompleted);
        Assert.False(run.IsCompleted);

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await stop.WaitAsync(Patience.Timeout);
        var cancelled = await run.WaitAsync(Patience.Timeout);
        Assert.Equal(FlowState.Cancelled, cancelled.State);
        await host.Logs.WaitForAsync("still running after the shutdown grace");
    }

    [Fact]
    public async Task A_run_asked_for_before_the_host_starts_waits_for_the_start()
    {
        var host = TestHost.Build(f => f.UseLocal());
        var run = host.Flows.RunAsync((e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 2, ct, o));
        Assert.False(run.IsCompleted);

        await host.StartAsync();
        Assert.Equal(5, (await run.WaitAsync(Patience.Timeout)).Result);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Runs_log_to_the_hosts_logger_factory()
    {
        await using var host = await TestHost.Build().StartAsync();
        var run = await host.Flows.RunAsync((e, o, ct) => HostedFlows.LoggingFlow.RunAsync(e, 7, ct, o)).WaitAsync(Patience.Timeout);

        Assert.Equal(7, run.Result);
        await host.Logs.WaitForAsync("logged 7");
    }

    [Fact]
    public async Task Options_that_cannot_work_stop_the_host_from_starting_with_the_setting_named()
    {
        var host = TestHost.Build(f => f.Workers = 0);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Host.StartAsync());
        Assert.Contains("FlowsHostOptions.Workers is 0", e.Message);
    }

    [Fact]
    public async Task The_options_bind_from_configuration()
    {
        var settings = new HostApplicationBuilderSettings();
        var builder = Host.CreateEmptyApplicationBuilder(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Flows:Executor"] = "Local",
            ["Flows:ShutdownGrace"] = "00:00:03",
        });
        builder.Services.AddFlows();
        builder.Services.Configure<FlowsHostOptions>(builder.Configuration.GetSection("Flows"));
        using var app = builder.Build();
        await app.StartAsync().WaitAsync(Patience.Timeout);

        var flows = app.Services.GetRequiredService<FlowHost>();
        Assert.IsType<LocalExecutor>(flows.Executor);
        Assert.Equal(TimeSpan.FromSeconds(3), flows.Options.ShutdownGrace);
        await app.StopAsync().WaitAsync(Patience.Timeout);
    }
}
