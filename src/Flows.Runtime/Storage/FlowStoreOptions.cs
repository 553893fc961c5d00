namespace Flows;

/// <summary>Settings of a <see cref="FlowStore"/>.</summary>
public sealed class FlowStoreOptions
{
    /// <summary>
    /// The most bytes of cached results the store keeps: past it, the least recently used entries are
    /// removed. 0 (the default) for no bound. Checkpoints of runs are not counted (delete runs with
    /// <see cref="FlowStore.DeleteRun"/>).
    /// </summary>
    public long MaxCacheBytes { get; init; }
}
