namespace Flows;

/// <summary>
/// A worker's memory passed its terminate fraction (or it could not allocate within its limit): it
/// exited to be restarted, the task that grew it was Crashed with the cause, and what it held is
/// recomputed from lineage.
/// </summary>
public sealed class WorkerRestarted : WorkerMemoryEvent
{
    internal WorkerRestarted(string runId, string flowName, long timestamp, string worker, long memoryLimit, long processMemory, string? taskName, string cause)
        : base(runId, flowName, timestamp, worker, memoryLimit, processMemory)
    {
        TaskName = taskName;
        Cause = cause;
    }

    /// <summary>The task run that was running when it passed (<c>Produce[3]</c>), or null for a recomputation.</summary>
    public string? TaskName { get; }

    /// <summary>What happened, as the crashed attempt's message says it.</summary>
    public string Cause { get; }
}
