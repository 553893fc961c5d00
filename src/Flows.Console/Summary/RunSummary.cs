using Flows.Console.Model;
using Flows.Graph;

namespace Flows.Console.Summary;

/// <summary>
/// The final table: a row per node of the display, filled from the run's record (<see cref="FlowRun.Tasks"/>),
/// which is exact even when events were dropped. States the events told (a map's, a subflow's) are used
/// when the record has none of its own.
/// </summary>
internal sealed class RunSummary
{
    private static readonly int StateCount = Enum.GetValues<TaskState>().Length;

    private RunSummary(FlowRun run, IReadOnlyList<SummaryRow> rows, IReadOnlyList<SummaryRow> folded)
    {
        Run = run;
        Rows = rows;
        Folded = folded;
    }

    public FlowRun Run { get; }

    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>Rows left out past the table's row limit, in graph order.</summary>
    public IReadOnlyList<SummaryRow> Folded { get; }

    /// <summary>Task runs by final state, over the whole run.</summary>
    /// <summary>Task runs by state, counted in the one pass over the run's records that makes the rows.</summary>
    public IReadOnlyDictionary<TaskState, int> TaskRunsByState { get; private init; } = new SortedDictionary<TaskState, int>();

    public static RunSummary Create(FlowRun run, RunModel model, int maxRows = int.MaxValue)
    {
        var rows = new List<SummaryRow>();
        var byName = new Dictionary<string, SummaryRow>(StringComparer.Ordinal);
        var told = new Dictionary<SummaryRow, NodeProgress>();
        lock (model.Gate)
        {
            foreach (var node in model.Nodes)
            {
                var parent = node.Parent is null ? null : byName.GetValueOrDefault(node.Parent.Name);
                var row = new SummaryRow(node.Name, node.Kind, node.Depth, parent, node.KeepsFailures);
                rows.Add(row);
                byName.TryAdd(node.Name, row);
                told[row] = node;
            }
        }

        var counts = new int[StateCount];
        foreach (var task in run.Tasks)
        {
            counts[(int)task.State]++;
            var row = byName.GetValueOrDefault(task.Name);
            var element = false;
            if (row is null && ElementOf(task.Name) is { } mapName)
            {
                row = byName.GetValueOrDefault(mapName);
                element = row is not null;
            }

            if (row is null)
            {
                // A task run no event named: a row of its own, at the end.
                row = new SummaryRow(ElementOf(task.Name) ?? task.Name, ElementOf(task.Name) is null ? FlowNodeKind.Task : FlowNodeKind.Map, task.Name.Count(c => c == '/'), null, keepsFailures: false);
                element = row.Kind == FlowNodeKind.Map;
                if (byName.TryAdd(row.Name, row))
                {
                    rows.Add(row);
                }
                else
                {
                    row = byName[row.Name];
                }
            }

            if (element)
            {
                row.ElementCounts ??= new int[StateCount];
                row.ElementCounts[(int)task.State]++;
                row.Attempts += task.Attempts;
            }
            else
            {
                row.State = task.State;
                row.Attempts = task.Attempts;
                row.Duration = task.Attempts > 0 ? task.Duration : null;
                row.SkipReason = task.SkipReason;
                row.Restored = task.Restored;
            }

            for (var covering = row; covering is not null; covering = covering.Parent)
            {
                covering.Cover(task);
            }
        }

        foreach (var row in rows)
        {
            Complete(row, told.GetValueOrDefault(row));
        }

        if (rows.Count <= maxRows)
        {
            return new RunSummary(run, rows, []) { TaskRunsByState = ByState(counts) };
        }

        // Failures first, then maps and subflows, then the rest, each in graph order; shown in graph order.
        var keep = new HashSet<SummaryRow>();
        foreach (var rank in (ReadOnlySpan<int>)[0, 1, 2])
        {
            foreach (var row in rows)
            {
                if (keep.Count == maxRows)
                {
                    break;
                }

                if (Rank(row) == rank)
                {
                    keep.Add(row);
                }
            }
        }

        return new RunSummary(run, [.. rows.Where(keep.Contains)], [.. rows.Where(r => !keep.Contains(r))]) { TaskRunsByState = ByState(counts) };

        static int Rank(SummaryRow row) => row.State switch
        {
            TaskState.Failed or TaskState.TimedOut or TaskState.Crashed or TaskState.Cancelled => 0,
            _ when row.Kind != FlowNodeKind.Task => 1,
            _ => 2,
        };
    }

    /// <summary>The map's name of an element's task run (<c>Parse[3]</c> → <c>Parse</c>), or null.</summary>
    private static string? ElementOf(string name)
    {
        if (!name.EndsWith(']'))
        {
            return null;
        }

        var open = name.LastIndexOf('[');
        return open > 0 ? name[..open] : null;
    }

    private static void Complete(SummaryRow row, NodeProgress? told)
    {
        switch (row.Kind)
        {
            case FlowNodeKind.Map when row.ElementCounts is { } counts:
                // The state the map's own event told, else what its elements say.
                row.State = told is { IsFinal: true } ? told.State : MapState(counts, row.KeepsFailures);
                row.Duration = row.SpanEnd - row.SpanStart;
                break;
            case FlowNodeKind.Subflow when row.State is null:
                // A subflow that started has no record of its own: its tasks have.
                row.State = told is { IsFinal: true } ? told.State : null;
                row.Duration = told is { Started: { } started, Ended: { } ended } ? ended - started : row.SpanEnd - row.SpanStart;
                break;
        }

        if (row.State is null)
        {
            // Nothing ran under a subflow that never started: its nodes share its fate.
            for (var parent = row.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.State is { } state && state != TaskState.Succeeded)
                {
                    row.State = state;
                    break;
                }
            }
        }
    }

    private static TaskState MapState(int[] counts, bool keepsFailures)
    {
        foreach (var failure in (ReadOnlySpan<TaskState>)[TaskState.Failed, TaskState.TimedOut, TaskState.Crashed])
        {
            if (counts[(int)failure] > 0 && !keepsFailures)
            {
                return failure;
            }
        }

        if (counts[(int)TaskState.Cancelled] > 0)
        {
            return TaskState.Cancelled;
        }

        return counts[(int)TaskState.Skipped] == counts.Sum() ? TaskState.Skipped : TaskState.Succeeded;
    }

    private static SortedDictionary<TaskState, int> ByState(int[] counts)
    {
        var byState = new SortedDictionary<TaskState, int>();
        for (var state = 0; state < counts.Length; state++)
        {
            if (counts[state] > 0)
            {
                byState[(TaskState)state] = counts[state];
            }
        }

        return byState;
    }
}
