namespace Flows.Cluster.Protocol;

/// <summary>
/// What a worker needs to keep a task run's result in its run's store itself (so that the result
/// never travels through the flow process to be checkpointed): where the store is, which run and
/// task run the result belongs to, and whether to look the result up in the cache first.
/// </summary>
/// <remarks>
/// Sent only when the workers reach the flow process's store at the same path
/// (<see cref="ClusterConnectOptions.WorkersReachStore"/>). A worker that predates it ignores the
/// field and answers <see cref="StoreUse.NotAsked"/>, which the flow process reports as a store error.
/// </remarks>
[GenerateSerializer, Immutable]
internal sealed class StoreRequest
{
    /// <summary>The store's folder (<see cref="FlowStore.Path"/>, a full path).</summary>
    [Id(0)] public string Path { get; init; } = string.Empty;

    [Id(1)] public string RunId { get; init; } = string.Empty;

    /// <summary>The flow's name, for the worker's log.</summary>
    [Id(2)] public string Flow { get; init; } = string.Empty;

    /// <summary>The task run's node as its checkpoint names it (a subflow's path included).</summary>
    [Id(3)] public string Node { get; init; } = string.Empty;

    /// <summary>The element of a mapped task, or -1.</summary>
    [Id(4)] public int Element { get; init; } = -1;

    /// <summary>Whether the result is checkpointed (the task did not opt out).</summary>
    [Id(5)] public bool Checkpoint { get; init; }

    /// <summary>Whether the task is cached: its result is looked up before the code runs, and kept under its key after.</summary>
    [Id(6)] public bool Cached { get; init; }
}

/// <summary>What a worker did with the store a request named (<see cref="TaskOutcome.Store"/>).</summary>
[GenerateSerializer]
internal enum StoreUse
{
    /// <summary>The request named no store, or the worker predates stores (it ignored the request's).</summary>
    NotAsked,

    /// <summary>The result is committed to the store (checkpoint, cache entry or both) before this outcome was sent.</summary>
    Kept,

    /// <summary>The result was taken from the cache: the task's code did not run.</summary>
    FromCache,

    /// <summary>The store could not be opened or written (<see cref="TaskOutcome.StoreError"/> says why); the result itself is fine.</summary>
    Failed,
}
