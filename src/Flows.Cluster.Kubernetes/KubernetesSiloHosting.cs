using System.ComponentModel;

namespace Flows.Cluster.Kubernetes;

/// <summary>
/// Orleans' Kubernetes hosting for a Flows worker silo: the pod gives its name, address and the cluster's ids.
/// Called by the worker host (<c>dotnet Flows.Cluster.dll worker --kubernetes</c>); not for direct use.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KubernetesSiloHosting
{
    /// <summary>Configures <paramref name="silo"/> from the pod it runs in. Called by the worker host; not for direct use.</summary>
    public static void Configure(ISiloBuilder silo) => silo.UseKubernetesHosting();
}
