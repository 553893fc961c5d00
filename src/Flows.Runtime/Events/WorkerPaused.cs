namespace Flows;

/// <summary>A worker's memory passed its pause fraction: it starts no new task until it is back under (<see cref="WorkerResumed"/>).</summary>
public sealed class WorkerPaused : WorkerMemoryEvent
{
    internal WorkerPaused(string runId, string flowName, long timestamp, string worker, long memoryLimit, long processMemory)
        : base(runId, flowName, timestamp, worker, memoryLimit, processMemory)
    {
    }
}
