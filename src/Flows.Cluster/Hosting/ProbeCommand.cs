using System.Globalization;

namespace Flows.Cluster.Hosting;

/// <summary>
/// <c>dotnet Flows.Cluster.dll probe --gateway HOST:PORT --cluster-id ID [--timeout-ms 5000]</c>: a
/// diagnostic client without any certificate that tries to connect to a cluster and says whether it
/// got in (exit 0, <c>FLOWS-PROBE-CONNECTED</c>) or not (exit 1, <c>FLOWS-PROBE-REFUSED</c> and why).
/// It shows what a stranger on this machine or network can do; the tests run it as another user.
/// Not in the worker command's usage: it is for checking a cluster, not for running one.
/// </summary>
internal static class ProbeCommand
{
    public const string Name = "probe";

    public const string ConnectedLine = "FLOWS-PROBE-CONNECTED";

    public const string RefusedLine = "FLOWS-PROBE-REFUSED";

    public static async Task<int> RunAsync(string[] args)
    {
        string? Option(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        if (Option("gateway") is not { } gateway || Option("cluster-id") is not { } clusterId)
        {
            Console.Error.WriteLine("Flows probe: usage: dotnet Flows.Cluster.dll probe --gateway HOST:PORT --cluster-id ID [--timeout-ms 5000]");
            return 2;
        }

        var timeout = TimeSpan.FromMilliseconds(int.TryParse(Option("timeout-ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? ms : 5000);
        try
        {
            await using var executor = await ClusterExecutor.ConnectAsync(new ClusterConnectOptions
            {
                Gateways = [gateway], ClusterId = clusterId, ConnectTimeout = timeout,
            }).ConfigureAwait(false);
            Console.Out.WriteLine($"{ConnectedLine} {executor.Workers.Count} worker(s)");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Out.WriteLine($"{RefusedLine} {ex.GetType().Name}: {ex.GetBaseException().Message}");
            return 1;
        }
    }
}
