namespace Flows;

/// <summary>
/// Where one node of a running flow stands at the moment it was read (<see cref="LiveRun.NodeState"/>).
/// For a map, the counts are of its elements' task runs; for a task, of its one task run.
/// </summary>
public readonly record struct LiveNodeState
{
    /// <summary>The node's state: <see cref="TaskState.Running"/> while a map's elements or a subflow's tasks run.</summary>
    public TaskState State { get; init; }

    /// <summary>Attempts started (of all its elements, for a map).</summary>
    public int Attempts { get; init; }

    /// <summary>A map's element count once it has read its collection; -1 before, and for other nodes.</summary>
    public int Elements { get; init; }

    /// <summary>A map's elements that succeeded (or were restored); for a task, 1 once it has.</summary>
    public int Succeeded { get; init; }

    /// <summary>Elements taken from the cache.</summary>
    public int Cached { get; init; }

    /// <summary>Elements that failed, timed out or crashed.</summary>
    public int Failed { get; init; }

    /// <summary>Elements skipped.</summary>
    public int Skipped { get; init; }

    /// <summary>Elements cancelled.</summary>
    public int Cancelled { get; init; }

    /// <summary>Elements with an attempt running now.</summary>
    public int Running { get; init; }

    /// <summary>Elements waiting for a retry.</summary>
    public int Retrying { get; init; }

    /// <summary>When its first attempt (its first element's, for a map) started; null before.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>From <see cref="Started"/> to its end, or to now while it runs.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Elements that ended, whatever their state.</summary>
    public int Ended => Succeeded + Cached + Failed + Skipped + Cancelled;
}
