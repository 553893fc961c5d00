using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Flows.Hosting;

/// <summary>What a health probe of <see cref="FlowsHostOptions.UseHealthProbe"/> says about an executor.</summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Description">A sentence for the health report: what is wrong, or what is fine.</param>
public readonly record struct FlowsHealth(HealthStatus Status, string Description);
