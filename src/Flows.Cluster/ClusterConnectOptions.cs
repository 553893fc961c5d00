using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>How <see cref="ClusterExecutor.ConnectAsync"/> reaches a running cluster.</summary>
public sealed class ClusterConnectOptions
{
    /// <summary>Static membership: gateway endpoints (<c>host:port</c>) of the cluster's silos.</summary>
    public IReadOnlyList<string> Gateways { get; init; } = [];

    /// <summary>Redis membership: the connection string of the Redis the workers register in (<c>host:6379</c>).</summary>
    public string? Redis { get; init; }

    /// <summary>The cluster's id (the workers' <c>--cluster-id</c>).</summary>
    public string ClusterId { get; init; } = "flows";

    /// <summary>The service's id (the workers' <c>--service-id</c>).</summary>
    public string ServiceId { get; init; } = "flows";

    /// <summary>TLS to the gateways; null for none.</summary>
    public ClusterTlsOptions? Tls { get; init; }

    /// <summary>
    /// The secret of a local cluster on this machine (<see cref="ClusterExecutor.LocalSecret"/>), proved
    /// on every connection to its gateways; null for none. Loopback gateways only: a secret proves who
    /// connects but does not encrypt, so across machines use <see cref="Tls"/>.
    /// </summary>
    public ClusterSecret? Secret { get; init; }

    /// <summary>Wait until this many workers are in the cluster (at least 1).</summary>
    public int MinimumWorkers { get; init; } = 1;

    /// <summary>How long connecting (and waiting for workers) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc cref="LocalClusterOptions.WorkerDeathsForgiven" />
    public int WorkerDeathsForgiven { get; init; } = 1;

    /// <summary>
    /// Whether every worker can open the store of a run (<see cref="FlowRunOptions.Store"/>) at the
    /// same path as the flow process: then each worker keeps the results it makes in the store itself
    /// (checkpoints and cache entries, committed before the task is reported Succeeded) and looks
    /// cached results up there, and results never travel through the flow process to be stored.
    /// False (the default): the result of every task a stored run checkpoints or caches comes back to
    /// the flow process, which writes the store (safe anywhere, but those results cross the network).
    /// </summary>
    /// <remarks>
    /// The store is a SQLite database and a folder of files: it must be on a local disk of the
    /// machine the flow process and the workers share (SQLite over a network file system is
    /// unsafe). On Kubernetes, that is a volume mounted at the same path in the flow process's pod
    /// and in worker pods on the same node. A worker that finds no store at the path reports a store
    /// error (<see cref="FlowRun.StoreError"/>) and keeps nothing; the tasks still succeed. A local
    /// cluster (<see cref="ClusterExecutor.StartLocalAsync"/>) is on the flow process's machine: its
    /// workers always write the store themselves.
    /// </remarks>
    public bool WorkersReachStore { get; init; }

    /// <inheritdoc cref="LocalClusterOptions.LoggerFactory" />
    public ILoggerFactory? LoggerFactory { get; init; }
}
