using System.Net;
using System.Net.Sockets;

namespace Flows.Cluster.Client;

/// <summary>Finds loopback ports nobody listens on (for the silos of a local cluster).</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
