using System.Globalization;

namespace Flows.Cli;

/// <summary>
/// The <c>--executor</c> value: <c>local</c>, <c>threads[:N]</c>, <c>processes[:N]</c> or <c>cluster[:N]</c>, N the
/// number of workers (threads, worker processes, cluster workers); without N, one per core.
/// </summary>
/// <param name="Kind">local, threads, processes or cluster.</param>
/// <param name="Workers">The N after the colon, or null.</param>
internal sealed record ExecutorSpec(string Kind, int? Workers)
{
    public const string Local = "local";
    public const string Threads = "threads";
    public const string Processes = "processes";
    public const string Cluster = "cluster";

    public const string Form = "local, threads[:N], processes[:N] or cluster[:N] (N workers, default one per core)";

    public static readonly string[] Kinds = [Local, Threads, Processes, Cluster];

    public static ExecutorSpec Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        if (!Kinds.Contains(kind))
        {
            throw new CliException($"--executor '{text}' is not an executor: use {Form}.");
        }

        if (colon < 0)
        {
            return new ExecutorSpec(kind, null);
        }

        if (kind == Local)
        {
            throw new CliException($"--executor '{text}': the local executor runs one task at a time, inline; it takes no worker count.");
        }

        var count = text[(colon + 1)..];
        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var workers) || workers < 1)
        {
            throw new CliException($"--executor '{text}': '{count}' is not a worker count; write a whole number from 1, e.g. {kind}:4.");
        }

        return new ExecutorSpec(kind, workers);
    }

    public override string ToString() => Workers is null ? Kind : $"{Kind}:{Workers.Value.ToString(CultureInfo.InvariantCulture)}";
}
