namespace Flows;

/// <summary>How well an executor can run tasks now (see <see cref="FlowExecutor.CheckHealthAsync"/>).</summary>
public enum ExecutorHealthStatus
{
    /// <summary>Every worker the executor expects is there: runs go at full speed.</summary>
    Healthy,

    /// <summary>Some workers are missing (dead, being replaced, not yet joined): tasks still run, on fewer workers.</summary>
    Degraded,

    /// <summary>No task can run now: no worker is alive, or the executor is not started, has failed or is disposed.</summary>
    Unhealthy,
}
