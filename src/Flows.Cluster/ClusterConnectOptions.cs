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

    /// <inheritdoc cref="LocalClusterOptions.LoggerFactory" />
    public ILoggerFactory? LoggerFactory { get; init; }
}
