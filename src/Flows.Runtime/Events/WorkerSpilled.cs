namespace Flows;

/// <summary>
/// A worker wrote held results to its local disk (least recently used first) to stay under its
/// memory target, or tried to and could not (<see cref="Error"/>: a full disk; the results stayed in memory).
/// </summary>
public sealed class WorkerSpilled : WorkerMemoryEvent
{
    internal WorkerSpilled(string runId, string flowName, long timestamp, string worker, long memoryLimit, long processMemory, long bytes, long results, string? error)
        : base(runId, flowName, timestamp, worker, memoryLimit, processMemory)
    {
        Bytes = bytes;
        Results = results;
        Error = error;
    }

    /// <summary>Bytes written since the worker last told.</summary>
    public long Bytes { get; }

    /// <summary>Results written since the worker last told.</summary>
    public long Results { get; }

    /// <summary>Why a spill failed (naming the task, the size and the folder), or null when it succeeded.</summary>
    public string? Error { get; }
}
