namespace Flows.Cluster.Hosting;

/// <summary>
/// The first line on a local cluster worker's stdin, where the flow process writes its credential
/// (<see cref="StdinSecret"/> or <see cref="StdinCertificate"/>) as <c>PREFIX BASE64</c>.
/// </summary>
internal static class StdinLine
{
    private const string Usage = "This option is for workers a local cluster starts (it writes the line); a worker you start yourself takes --tls-certificate FILE.pfx.";

    /// <summary>
    /// The text after <paramref name="prefix"/> on the first line of <paramref name="input"/>;
    /// ArgumentException starting with <paramref name="option"/> when there is no such line.
    /// </summary>
    public static string ReadPayload(TextReader input, string option, string prefix, string what)
    {
        var line = input.ReadLine()
            ?? throw new ArgumentException($"{option}: stdin ended before the {what} line. {Usage}");
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{option}: the first line on stdin is not '{prefix.Trim()} BASE64' (it starts '{line[..Math.Min(line.Length, 8)]}'). {Usage}");
        }

        return line[prefix.Length..];
    }
}
