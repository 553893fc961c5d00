namespace Flows;

/// <summary>
/// What the cluster's workers did about their memory limits during a run (<see cref="FlowRun.WorkerMemory"/>):
/// all zero on executors whose workers have no limit, and on a cluster under no memory pressure.
/// </summary>
public sealed class WorkerMemoryStats
{
    /// <summary>Bytes of results written to the workers' disks.</summary>
    public long BytesSpilled { get; internal set; }

    /// <summary>Bytes of spilled results read back (by a task on their worker, or sent to another worker).</summary>
    public long BytesReadBack { get; internal set; }

    /// <summary>Results written to disk.</summary>
    public long SpillCount { get; internal set; }

    /// <summary>Spills that failed (a full disk): those results stayed in memory.</summary>
    public long SpillFailures { get; internal set; }

    /// <summary>Times a worker stopped starting tasks because its memory passed the pause fraction.</summary>
    public long Pauses { get; internal set; }

    /// <summary>Times a worker restarted because its memory passed the terminate fraction.</summary>
    public long Restarts { get; internal set; }

    /// <summary>The highest resident memory a worker reported (its peak over its life), in bytes; 0 when none reported.</summary>
    public long PeakWorkerMemory { get; internal set; }

    /// <summary>The largest memory limit among the workers that reported, in bytes; 0 when none reported.</summary>
    public long WorkerMemoryLimit { get; internal set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"spilled {BytesSpilled:N0} B in {SpillCount} result(s), read back {BytesReadBack:N0} B, {SpillFailures} failed spill(s), {Pauses} pause(s), {Restarts} restart(s), peak {PeakWorkerMemory:N0} B of {WorkerMemoryLimit:N0} B";

    /// <summary>A copy, so that a run's record does not change after it ends.</summary>
    internal WorkerMemoryStats Copy() => (WorkerMemoryStats)MemberwiseClone();
}
