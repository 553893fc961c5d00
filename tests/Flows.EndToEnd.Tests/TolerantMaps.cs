using System.Globalization;

namespace Flows.EndToEnd.Tests;

/// <summary>Flows with <c>Flow.TryMap</c> and with whole arguments, compiled by the generator as a user writes them.</summary>
public static partial class TolerantMaps
{
    /// <summary>Ten times <paramref name="x"/>, except that a multiple of three is refused.</summary>
    [Task]
    public static int Checked(int x) => x % 3 == 0 ? throw new ArgumentException($"multiple of three: {x}") : x * 10;

    /// <summary>Fails one element in a hundred (those whose value ends in 42).</summary>
    [Task]
    public static int RarelyFails(int x) => x % 100 == 42 ? throw new InvalidOperationException($"element {x} broke") : x;

    /// <summary>Reads outcomes, the way a user's task decides what to do with failures.</summary>
    [Task]
    public static string Summarize(Outcome<int>[] parts) => string.Join(
        " | ",
        parts.Select(p => p.Succeeded
            ? $"{p.State} {p.Value}"
            : $"{p.State} {p.ExceptionType}: {p.Exception!.Message} (stack names the task: {p.Exception.ToString().Contains(nameof(Checked), StringComparison.Ordinal)})"));

    [Task]
    public static int CountFailed(Outcome<int>[] parts) => parts.Count(p => !p.Succeeded);

    [Task]
    public static int Offset(int[] values) => values.Length;

    /// <summary>An element and three whole arguments: one from an earlier step, a constant and a flow parameter.</summary>
    [Task]
    public static string Scale(int x, int offset, int factor, string label) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}{(x * factor) + offset}");

    [Task]
    public static async Task<string> Fetch(string url, string token, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return url.Contains("bad", StringComparison.Ordinal)
            ? throw new InvalidOperationException($"cannot fetch {url}")
            : $"{url}?token={token}";
    }

    [Task]
    public static int Below(int x, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return x < limit ? x : throw new ArgumentOutOfRangeException(nameof(x), x, $"{x} is not below {limit}");
    }

    [Flow]
    public static Outcome<int>[] CheckAll(int[] values) => Flow.TryMap(Checked, values);

    [Flow]
    public static string CheckAndSummarize(int[] values)
    {
        var parts = Flow.TryMap(Checked, values);
        return Summarize(parts);
    }

    [Flow]
    public static int CountRareFailures(int[] values)
    {
        var parts = Flow.TryMap(RarelyFails, values);
        return CountFailed(parts);
    }

    [Flow]
    public static string[] ScaleAll(int[] values, string label)
    {
        var offset = Offset(values);
        return Flow.Map(Scale, values, offset, 3, label);
    }

    [Flow]
    public static async Task<string[]> FetchAll(string[] urls, string token, CancellationToken cancellationToken) =>
        await Flow.Map(Fetch, urls, token, cancellationToken);

    [Flow]
    public static async Task<Outcome<string>[]> TryFetchAll(string[] urls, string token, CancellationToken cancellationToken) =>
        await Flow.TryMap(Fetch, urls, token, cancellationToken);

    [Flow]
    public static Outcome<int>[] TryBelow(int[] values, int limit, CancellationToken cancellationToken) =>
        Flow.TryMap(Below, values, limit, cancellationToken);
}
