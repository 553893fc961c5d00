using Orleans.Runtime;

namespace Flows.Cluster.Client;

/// <summary>Reads which Flows workers are active from the cluster's membership (via the management grain).</summary>
internal static class MembershipReader
{
    /// <summary>Silo names of workers start with this; other silos (a local cluster's own) run no tasks.</summary>
    public const string WorkerNamePrefix = "flows-worker-";

    public static async Task<IReadOnlyList<string>> ActiveWorkersAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<string>(hosts.Length);
        foreach (var host in hosts)
        {
            if (host.Status == SiloStatus.Active && host.SiloName?.StartsWith(WorkerNamePrefix, StringComparison.Ordinal) == true)
            {
                keys.Add(host.SiloAddress.ToParsableString());
            }
        }

        return keys;
    }
}
