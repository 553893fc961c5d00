namespace Flows;

/// <summary>
/// What an executor says about itself (<see cref="FlowExecutor.CheckHealthAsync"/>): a status, a sentence for a
/// health report, and, for an executor with workers, how many it expects and how many are alive now.
/// </summary>
/// <param name="Status">Healthy, Degraded or Unhealthy.</param>
/// <param name="Description">One sentence: what is fine, or what is wrong and what happens next.</param>
public readonly record struct ExecutorHealth(ExecutorHealthStatus Status, string Description)
{
    /// <summary>The workers the executor expects (worker processes, cluster workers); null for an executor without workers of its own.</summary>
    public int? Workers { get; init; }

    /// <summary>Of <see cref="Workers"/>, how many are alive (a cluster: active members) now; null when not known.</summary>
    public int? Alive { get; init; }
}
