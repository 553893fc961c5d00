namespace Flows.Cluster.Protocol;

/// <summary>
/// What a worker with a memory limit did about its memory, counted over its life: sent with a poll
/// answer only when something changed since the last answer to that client (a spill, a read back, a
/// pause or resume, a new peak), so a worker under no pressure sends none.
/// </summary>
[GenerateSerializer, Immutable]
internal sealed class WorkerMemoryNews
{
    /// <summary>Changes with every news.</summary>
    [Id(0)] public long Version { get; init; }

    [Id(1)] public long Limit { get; init; }

    /// <summary>The process's resident memory when the news was made.</summary>
    [Id(2)] public long Resident { get; init; }

    /// <summary>The highest resident memory of the process's life (VmHWM).</summary>
    [Id(3)] public long Peak { get; init; }

    [Id(4)] public long BytesSpilled { get; init; }

    [Id(5)] public long BytesReadBack { get; init; }

    [Id(6)] public long Spills { get; init; }

    [Id(7)] public long SpillFailures { get; init; }

    [Id(8)] public long Pauses { get; init; }

    [Id(9)] public long Resumes { get; init; }

    /// <summary>The last spill that failed, with its cause (a full disk), or null.</summary>
    [Id(10)] public string? LastSpillError { get; init; }

    [Id(11)] public bool Paused { get; init; }

    /// <summary>Bytes of results held in memory, and how many results are on disk.</summary>
    [Id(12)] public long HeldBytes { get; init; }

    [Id(13)] public int SpilledResults { get; init; }
}
