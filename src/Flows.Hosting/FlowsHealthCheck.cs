using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Flows.Hosting;

/// <summary>
/// The health of the host's Flows executor (registered by <c>AddFlows</c> as the check named <c>flows</c>):
/// Unhealthy before the host has started it and once it stops; for a <see cref="ProcessExecutor"/>, Healthy
/// when every worker process is alive, Degraded when some are not (a dead worker is replaced on its own; the
/// check is Healthy again once the replacement is up), Unhealthy when none is; for another executor, what
/// <see cref="FlowsHostOptions.UseHealthProbe"/> says, else Healthy.
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
        if (executor is ProcessExecutor processes)
        {
            var alive = processes.WorkerProcessIds.Where(IsAlive).ToArray();
            data["workers"] = processes.NumWorkers;
            data["alive"] = alive.Length;
            var text = $"{alive.Length} of {processes.NumWorkers} worker processes alive";
            if (alive.Length == 0)
            {
                return HealthCheckResult.Unhealthy($"{text}: no task can run until a replacement has started.", data: data);
            }

            if (alive.Length < processes.NumWorkers)
            {
                return HealthCheckResult.Degraded($"{text}; the dead ones are being replaced.", data: data);
            }
        }

        if (_host.Options.HealthProbe is { } probe)
        {
            var health = await probe(executor, cancellationToken).ConfigureAwait(false);
            return new HealthCheckResult(health.Status, health.Description, data: data);
        }

        return HealthCheckResult.Healthy($"The {executor.Name} executor runs ({executor.MaxParallelism} at a time).", data);
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
