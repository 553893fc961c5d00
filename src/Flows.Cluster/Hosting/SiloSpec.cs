using System.Net;

namespace Flows.Cluster.Hosting;

/// <summary>Where a silo sits in its cluster: identity, endpoints, membership and security.</summary>
internal sealed class SiloSpec
{
    public required string SiloName { get; init; }

    public string ClusterId { get; init; } = "flows";

    public string ServiceId { get; init; } = "flows";

    public IPAddress Advertise { get; init; } = IPAddress.Loopback;

    public int SiloPort { get; init; } = 11111;

    /// <summary>0 for no gateway (clients cannot connect through this silo).</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Static membership: the primary silo's endpoint (which holds the membership table).</summary>
    public IPEndPoint? Primary { get; init; }

    /// <summary>Redis membership: the connection string.</summary>
    public string? Redis { get; init; }

    /// <summary>Orleans' Kubernetes hosting: names and addresses come from the pod.</summary>
    public bool Kubernetes { get; init; }

    public ClusterTlsOptions? Tls { get; init; }

    /// <summary>The secret every connection proves first (a local cluster on loopback); null for none.</summary>
    public ClusterSecret? Secret { get; init; }

    /// <summary>Orleans' response timeout for calls from this silo; null for Orleans' default (30 s).</summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>
    /// A local cluster's failure detection: a dead worker is declared by the flow process, which sees
    /// its process exit; probes give a live but silent silo about 30 s (Orleans' production defaults otherwise).
    /// </summary>
    public bool LocalFailureDetection { get; init; }
}
