namespace Flows;

/// <summary>
/// A cluster worker acted on its memory limit during the run: <see cref="WorkerSpilled"/>,
/// <see cref="WorkerPaused"/>, <see cref="WorkerResumed"/> or <see cref="WorkerRestarted"/> (see
/// docs/memory.md). Wanted with <see cref="FlowEventKinds.WorkerMemory"/>. A worker serves every run on its
/// cluster at once: each run in progress on that cluster hears what its workers did.
/// </summary>
public abstract class WorkerMemoryEvent : FlowEvent
{
    private protected WorkerMemoryEvent(string runId, string flowName, long timestamp, string worker, long memoryLimit, long processMemory)
        : base(runId, flowName, timestamp)
    {
        Worker = worker;
        MemoryLimit = memoryLimit;
        ProcessMemory = processMemory;
    }

    /// <summary>The worker (its silo address).</summary>
    public string Worker { get; }

    /// <summary>The worker's memory limit, in bytes.</summary>
    public long MemoryLimit { get; }

    /// <summary>The worker process's resident memory when it told, in bytes.</summary>
    public long ProcessMemory { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.WorkerMemory;
}
