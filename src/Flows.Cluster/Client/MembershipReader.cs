
namespace Flows.Cluster.Client;

/// <summary>Reads which Flows workers are active from the cluster's membership (via the management grain).</summary>
internal static class MembershipReader
{
    /// <summary>The silo a local cluster runs in the flow process: it holds the membership and runs no tasks.</summary>
    public const string MembershipSiloPrefix = "flows-local-membership-";

    /// <summary>
    /// The active silos that may be workers. Worker silos are named <c>flows-worker-MACHINE-PID</c>, except
    /// under Orleans' Kubernetes hosting, which names each silo after its pod; so names are not relied on.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ActiveWorkersAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>(hosts.Length);
        foreach (var host in hosts)
        {
            // Any other silo may be a worker; one that is not (another application's) refuses to describe itself.
            if (host.Status == SiloStatus.Active && host.SiloName?.StartsWith(MembershipSiloPrefix, StringComparison.Ordinal) != true)
            {
                keys.Add(host.SiloAddress.ToParsableString());
            }
        }

        return keys;
    }
}
