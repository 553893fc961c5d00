using Flows.Graph;

namespace Flows.Console.Summary;

/// <summary>The cells of the final table as text, shared by its plain and its Spectre form.</summary>
internal static class SummaryText
{
    public static readonly string[] Headers = ["node", "state", "attempts", "duration", "task runs"];

    /// <summary>The row's five cells: name (indented under its subflow), state, attempts, duration, a map's counts.</summary>
    public static string[] Cells(SummaryRow row) =>
    [
        new string(' ', 2 * row.Depth) + row.Name,
        State(row),
        row.Kind == FlowNodeKind.Subflow ? string.Empty : ProgressText.Count(row.Attempts),
        row.Duration is { } duration ? ProgressText.Duration(duration) : string.Empty,
        row.ElementCounts is { } counts ? ProgressText.Count(row.Elements) + ": " + Counts(counts, row.KeepsFailures) : string.Empty,
    ];

    /// <summary>"succeeded", "skipped (branch not taken)", "restored", or "-" when nothing ran or said.</summary>
    public static string State(SummaryRow row) => row.State switch
    {
        null => "-",
        TaskState.Succeeded when row.Restored => "restored",
        TaskState.Skipped when row.SkipReason == TaskRun.BranchNotTaken => "skipped (branch not taken)",
        { } state => ProgressText.State(state),
    };

    /// <summary>Counts by state, biggest news first: "998 succeeded, 2 failed (kept)".</summary>
    public static string Counts(int[] counts, bool keepsFailures)
    {
        var parts = new List<string>(4);
        foreach (var state in (ReadOnlySpan<TaskState>)[TaskState.Succeeded, TaskState.Cached, TaskState.Failed, TaskState.TimedOut, TaskState.Crashed, TaskState.Cancelled, TaskState.Skipped, TaskState.Pending, TaskState.Running, TaskState.Retrying])
        {
            var count = counts[(int)state];
            if (count > 0)
            {
                var kept = keepsFailures && ProgressText.IsFailure(state) ? " (kept)" : string.Empty;
                parts.Add($"{ProgressText.Count(count)} {ProgressText.State(state)}{kept}");
            }
        }

        return string.Join(", ", parts);
    }

    /// <summary>"... and 9,900 more nodes: 9,900 succeeded", or null when no row was left out.</summary>
    public static string? FoldedLine(RunSummary summary)
    {
        if (summary.Folded.Count == 0)
        {
            return null;
        }

        var counts = new int[Enum.GetValues<TaskState>().Length];
        var unknown = 0;
        foreach (var row in summary.Folded)
        {
            if (row.State is { } state)
            {
                counts[(int)state]++;
            }
            else
            {
                unknown++;
            }
        }

        var byState = Counts(counts, keepsFailures: false);
        if (unknown > 0)
        {
            byState += (byState.Length > 0 ? ", " : string.Empty) + ProgressText.Count(unknown) + " not run";
        }

        return $"... and {ProgressText.Count(summary.Folded.Count)} more nodes: {byState}";
    }

    /// <summary>The line under the table: "Report succeeded in 1.2 s: 14 task runs, 12 succeeded, 2 skipped (run ...)".</summary>
    public static string Footer(RunSummary summary)
    {
        var run = summary.Run;
        var counts = new int[Enum.GetValues<TaskState>().Length];
        foreach (var (state, count) in summary.TaskRunsByState)
        {
            counts[(int)state] = count;
        }

        var tasks = run.Tasks.Count == 1 ? "1 task run" : ProgressText.Count(run.Tasks.Count) + " task runs";
        var byState = run.Tasks.Count == 0 ? string.Empty : ", " + Counts(counts, keepsFailures: false);
        return $"{run.FlowName} {ProgressText.State(run.State)} in {ProgressText.Duration(run.Duration)}: {tasks}{byState} (run {run.RunId})";
    }
}
