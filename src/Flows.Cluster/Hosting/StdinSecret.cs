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
        const string Usage = "This option is for workers a local cluster starts (it writes the line); a worker you start yourself takes --tls-certificate FILE.pfx.";
        var line = input.ReadLine()
            ?? throw new ArgumentException($"{Option}: stdin ended before the secret line. {Usage}");
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{Option}: the first line on stdin is not '{Prefix.Trim()} BASE64' (it starts '{line[..Math.Min(line.Length, 8)]}'). {Usage}");
        }

        var key = new byte[ClusterSecret.Length];
        if (!Convert.TryFromBase64String(line[Prefix.Length..], key, out var written) || written != ClusterSecret.Length)
        {
            throw new ArgumentException($"{Option}: the secret line does not hold {ClusterSecret.Length} bytes in base64.");
        }

        return ClusterSecret.FromKey(key);
    }
}
