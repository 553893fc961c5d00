using Flows.Console.Model;
using Flows.Graph;

namespace Flows.Console.Display;

/// <summary>
/// The sentences the display prints as things happen, as plain text (the live display colours and
/// escapes them): the same words whichever way the run is shown and whatever the executor.
/// </summary>
internal static class ProgressLines
{
    public static string Started(RunModel model)
    {
        var count = model.Nodes.Count;
        var resumed = model.Resumed ? ", resumed" : string.Empty;
        return $"run {model.RunId} started ({count} {(count == 1 ? "node" : "nodes")}{resumed})";
    }

    /// <summary>A node's end: "Load succeeded (1 attempt, 3 ms)", "Parse succeeded: 10 task runs, 10 succeeded (1.2 s)".</summary>
    public static string NodeEnded(NodeProgress node)
    {
        var state = ProgressText.State(node.State);
        switch (node.Kind)
        {
            case FlowNodeKind.Map:
                if (node.Total > 0 || node.EndedCount > 0)
                {
                    var runs = node.EndedCount == 1 ? "1 task run" : ProgressText.Count(node.EndedCount) + " task runs";
                    var took = node is { Started: { } began, Ended: { } ended } ? $" ({ProgressText.Duration(ended - began)})" : string.Empty;
                    return $"{node.Name} {state}: {runs}, {MapCounts(node)}{took}";
                }

                return node.Error is { } mapError && ProgressText.IsFailure(node.State)
                    ? $"{node.Name} {state}: {ProgressText.Error(mapError)}"
                    : $"{node.Name} {state}" + (node.Total == 0 ? ": no elements" : string.Empty);

            case FlowNodeKind.Subflow:
                var span = node is { Started: { } start, Ended: { } end } ? $" ({ProgressText.Duration(end - start)})" : string.Empty;
                return $"{node.Name} {state}{span}";

            default:
                return node.State switch
                {
                    TaskState.Succeeded when node.Restored => $"{node.Name} restored",
                    TaskState.Succeeded => $"{node.Name} {state} ({ProgressText.Attempts(node.Attempts)}, {ProgressText.Duration(node.Duration ?? TimeSpan.Zero)})",
                    TaskState.Skipped when node.SkipReason is { } reason => $"{node.Name} {state} ({reason})",
                    _ when ProgressText.IsFailure(node.State) =>
                        $"{node.Name} {state} after {ProgressText.Attempts(node.Attempts)} ({ProgressText.Duration(node.Duration ?? TimeSpan.Zero)})" +
                        (node.Error is { } error ? ": " + ProgressText.Error(error) : string.Empty),
                    _ => $"{node.Name} {state}",
                };
        }
    }

    /// <summary>"8 succeeded, 2 failed (kept)": a map's elements that ended, by state.</summary>
    public static string MapCounts(NodeProgress node)
    {
        var parts = new List<string>(4);
        Add(parts, node.Succeeded, "succeeded");
        Add(parts, node.Cached, "cached");
        Add(parts, node.Failed, node.KeepsFailures ? "failed (kept)" : "failed");
        Add(parts, node.Cancelled, "cancelled");
        Add(parts, node.Skipped, "skipped");
        return parts.Count == 0 ? "none ended" : string.Join(", ", parts);

        static void Add(List<string> parts, int count, string what)
        {
            if (count > 0)
            {
                parts.Add(ProgressText.Count(count) + " " + what);
            }
        }
    }

    /// <summary>"Parse 250 of 1,000 task runs ended".</summary>
    public static string Milestone(NodeProgress node) =>
        $"{node.Name} {ProgressText.Count(node.EndedCount)} of {ProgressText.Count(node.Total)} task runs ended";

    /// <summary>"Parse[3] failed after 2 attempts: InvalidOperationException: boom".</summary>
    public static string ElementFailed(TaskFinished finished, bool kept)
    {
        var error = finished.Error is { } e ? ": " + ProgressText.Error(e) : string.Empty;
        var keptText = kept ? " (kept as its outcome)" : string.Empty;
        return $"{finished.Task} {ProgressText.State(finished.State)} after {ProgressText.Attempts(finished.Attempts)}{keptText}{error}";
    }

    /// <summary>"Load attempt 1 failed: HttpRequestException: refused; retrying in 200 ms".</summary>
    public static string Retrying(TaskRetrying retrying)
    {
        var error = retrying.Error is { } e ? ": " + ProgressText.Error(e) : string.Empty;
        return $"{retrying.Task} attempt {retrying.Attempt} {ProgressText.State(retrying.Outcome)}{error}; retrying in {ProgressText.Duration(retrying.Delay)}";
    }

    public static string FirstDrop(RunModel model) =>
        $"the display fell behind the run and skipped {ProgressText.Count(model.Dropped)} events: counts may be behind; the final table is exact";

    public static string Dropped(RunModel model) =>
        $"{ProgressText.Count(model.Dropped)} events were skipped while the display was behind; the table is exact";

    public static string Suppressed(long count) =>
        $"{ProgressText.Count(count)} more failure and retry messages were not shown; the table counts every task run";

    public const string Muted = "more failures and retries follow; they are not shown one by one (the final table counts them)";
}
