using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Flows.Hosting.Tests;

/// <summary>A run through the host, on each executor it can be given.</summary>
public sealed class ExecutorTests
{
    public static TheoryData<string> Executors => new() { "local", "threads", "processes", "cluster" };

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_flow_run_through_the_host_gives_the_eager_result_and_fails_the_same_way(string executor)
    {
        await using var host = await TestHost.Build(f => Choose(f, executor)).StartAsync();
        Assert.Equal(executor, host.Flows.Executor.Name);

        // Resolved from DI too, so that the container disposes it again after the host did: that must be harmless.
        Assert.Same(host.Flows.Executor, host.Host.Services.GetRequiredService<FlowExecutor>());

        var run = await host.Flows.RunAsync((e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 20, ct, o)).WaitAsync(Patience.Timeout);
        Assert.Equal(HostedFlows.Compute(20), run.Result);

        var failed = await host.Flows.RunAsync((e, o, ct) => HostedFlows.FailingFlow.RunAsync(e, 3, ct, o)).WaitAsync(Patience.Timeout);
        Assert.Equal(FlowState.Failed, failed.State);
        Assert.Equal("3 was refused", failed.FirstFailure!.Exception!.Message);

        var health = await host.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);
    }

    internal static void Choose(FlowsHostOptions options, string executor)
    {
        switch (executor)
        {
            case "local":
                options.UseLocal();
                break;
            case "threads":
                options.UseThreads(2);
                break;
            case "processes":
                options.UseProcesses(1);
                break;
            default:
                options.UseExecutor(_ => new ClusterExecutor(workers: 1));
                break;
        }
    }
}
