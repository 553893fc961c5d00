using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Flows.Hosting;

/// <summary>
/// The health of the host's Flows executor (registered by <c>AddFlows</c> as the check named <c>flows</c>):
/// Unhealthy before the host has started it and once it stops; otherwise what the executor says of itself
/// (<see cref="FlowExecutor.CheckHealthAsync"/>: a <see cref="ProcessExecutor"/> its worker processes alive, a
/// <c>ClusterExecutor</c> its cluster membership, other executors Healthy), or, when one is given, what
/// <see cref="FlowsHostOptions.UseHealthProbe"/> says instead. The data holds the executor's name and, where it has
/// workers, <c>workers</c> (expected) and <c>alive</c>.
/// </summary>
internal sealed class FlowsHealthCheck : IHealthCheck
{
    private readonly FlowHost _host;

    public FlowsHealthCheck(FlowHost host) => _host = host;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (executor, running) = _host.Snapshot();
        if (executor is null || !running)
        {
            return HealthCheckResult.Unhealthy(executor is null && !running ? "The Flows executor is not running (the host has not started it, or it has stopped)." : "The host is stopping: Flows starts no more runs.");
        }

        var data = new Dictionary<string, object> { ["executor"] = executor.Name };
        if (_host.Options.HealthProbe is { } probe)
        {
            var probed = await probe(executor, cancellationToken).ConfigureAwait(false);
            return new HealthCheckResult(probed.Status, probed.Description, data: data);
        }

        var health = await executor.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        if (health.Workers is { } workers)
        {
            data["workers"] = workers;
        }

        if (health.Alive is { } alive)
        {
            data["alive"] = alive;
        }

        return new HealthCheckResult(ToHealthStatus(health.Status), health.Description, data: data);
    }

    private static HealthStatus ToHealthStatus(ExecutorHealthStatus status) => status switch
    {
        ExecutorHealthStatus.Healthy => HealthStatus.Healthy,
        ExecutorHealthStatus.Degraded => HealthStatus.Degraded,
        _ => HealthStatus.Unhealthy,
    };
}
