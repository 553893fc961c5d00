namespace Flows.Cluster.Client;

/// <summary>Where a <see cref="ClusterSession"/>'s workers come from: a local cluster it started, or a cluster it connected to.</summary>
internal interface IClusterBackend : IAsyncDisposable
{
    IGrainFactory Grains { get; }

    /// <summary>The keys (silo addresses) of the workers now in the cluster.</summary>
    Task<IReadOnlyList<string>> ListWorkersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Raised when the backend learns first-hand that a worker died (a local cluster sees its process
    /// exit), with the cause; sooner than cluster membership can tell.
    /// </summary>
    event Action<string, string>? WorkerDied;

    /// <summary>
    /// Whether the worker's process still runs, where the backend knows it first-hand (a local
    /// cluster started it); null where it cannot tell (a connected cluster).
    /// </summary>
    bool? IsWorkerProcessAlive(string key);

    /// <summary>Raised when a worker joined (a local cluster's replacement for a dead one).</summary>
    event Action? WorkersChanged;
}
