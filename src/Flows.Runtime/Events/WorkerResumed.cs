namespace Flows;

/// <summary>A paused worker's memory is back under its pause fraction: it starts tasks again.</summary>
public sealed class WorkerResumed : WorkerMemoryEvent
{
    internal WorkerResumed(string runId, string flowName, long timestamp, string worker, long memoryLimit, long processMemory)
        : base(runId, flowName, timestamp, worker, memoryLimit, processMemory)
    {
    }
}
