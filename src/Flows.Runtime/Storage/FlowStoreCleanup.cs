namespace Flows;

/// <summary>What <see cref="FlowStore.Clean"/> removed.</summary>
/// <param name="ExpiredCacheEntries">Cached results past their <c>CacheFor</c>.</param>
/// <param name="OrphanFiles">Value files no entry names (left by a process that died while writing).</param>
public sealed record FlowStoreCleanup(int ExpiredCacheEntries, int OrphanFiles);
