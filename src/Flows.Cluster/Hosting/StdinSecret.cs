namespace Flows.Cluster.Hosting;

/// <summary>
/// How a local cluster hands its <see cref="ClusterSecret"/> to a worker started with
/// <c>--secret-from-stdin</c>: the first line the worker reads from its stdin, a pipe only the flow
/// process holds, is <c>cluster-secret BASE64</c>. Never on a command line (which every local user
/// can read in /proc), in the environment or in a file.
/// </summary>
internal static class StdinSecret
{
    public const string Prefix = "cluster-secret ";

    public const string Option = "--secret-from-stdin";

    /// <summary>The line that carries <paramref name="secret"/>.</summary>
    public static string Line(ClusterSecret secret) => Prefix + Convert.ToBase64String(secret.Key);

    /// <summary>Reads the secret line from <paramref name="input"/>; ArgumentException naming what is wrong otherwise.</summary>
    public static ClusterSecret Read(TextReader input)
    {
        var payload = StdinLine.ReadPayload(input, Option, Prefix, "secret");
        var key = new byte[ClusterSecret.Length];
        if (!Convert.TryFromBase64String(payload, key, out var written) || written != ClusterSecret.Length)
        {
            throw new ArgumentException($"{Option}: the secret line does not hold {ClusterSecret.Length} bytes in base64.");
        }

        return ClusterSecret.FromKey(key);
    }
}
