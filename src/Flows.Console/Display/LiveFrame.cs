using System.Text;
using Flows.Console.Model;
using Flows.Graph;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Flows.Console.Display;

/// <summary>
/// One frame of the live display, made from the model under its lock: a header (the flow, its state,
/// the elapsed time, task runs so far), a line per node (maps with a bar and counts), and a warning
/// when events were dropped. O(nodes) per frame, nothing per element.
/// </summary>
internal static class LiveFrame
{
    private const int BarWidth = 24;

    public static IRenderable Build(RunModel model, DateTimeOffset now, int frame, int maxLines, bool unicode)
    {
        var nodes = model.Nodes;
        var visible = Choose(nodes, Math.Max(1, maxLines), out var folded);

        long ended = 0, running = 0, failed = 0;
        foreach (var node in nodes)
        {
            if (node.Kind == FlowNodeKind.Map)
            {
                ended += node.EndedCount;
                running += node.Running;
                failed += node.Failed;
            }
            else if (node.Kind == FlowNodeKind.Task)
            {
                ended += node.IsFinal ? 1 : 0;
                running += node.State == TaskState.Running ? 1 : 0;
                failed += ProgressText.IsFailure(node.State) ? 1 : 0;
            }
        }

        var header = new StringBuilder()
            .Append("[bold]").Append(Markup.Escape(model.FlowName)).Append("[/] ")
            .Append(model.Outcome is { } run
                ? $"[{(run.Succeeded ? "green" : "red")}]{ProgressText.State(run.State)}[/] in {ProgressText.Duration(run.Duration)}"
                : "[blue]running[/] " + ProgressText.Clock(now - model.Start))
            .Append("  [grey]").Append(ProgressText.Count(ended)).Append(" task runs ended, ")
            .Append(ProgressText.Count(running)).Append(" running[/]");
        if (failed > 0)
        {
            header.Append("[grey],[/] [red]").Append(ProgressText.Count(failed)).Append(" failed[/]");
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(1))
            .AddColumn(new GridColumn().NoWrap())
            .AddColumn(new GridColumn().NoWrap())
            .AddColumn(new GridColumn().NoWrap())
            .AddColumn(new GridColumn().NoWrap().RightAligned());
        foreach (var node in visible)
        {
            grid.AddRow(
                new Markup(Icon(node, frame, unicode)),
                new Text(new string(' ', 2 * node.Depth) + node.Label),
                new Markup(StateCell(node, unicode)),
                new Markup(CountsCell(node)),
                new Text(TimeCell(node, now)));
        }

        var rows = new List<IRenderable> { new Markup(header.ToString()), grid };
        if (folded.Count > 0)
        {
            rows.Add(new Markup($"[grey]... and {ProgressText.Count(folded.Count)} more nodes: {Markup.Escape(folded.Describe())}[/]"));
        }

        if (model.Dropped > 0)
        {
            rows.Add(new Markup($"[yellow]{ProgressText.Count(model.Dropped)} events skipped while the display was behind: counts may be behind; the final table will be exact[/]"));
        }

        return new Rows(rows);
    }

    /// <summary>
    /// The nodes to show when there are more than <paramref name="max"/>: running and failed ones
    /// first, then the ones still waiting, then the rest, each group in graph order.
    /// </summary>
    private static List<NodeProgress> Choose(IReadOnlyList<NodeProgress> nodes, int max, out FoldedNodes folded)
    {
        folded = default;
        if (nodes.Count <= max)
        {
            return [.. nodes];
        }

        var keep = new bool[nodes.Count];
        var left = max - 1; // one line says what was folded
        foreach (var rank in (ReadOnlySpan<int>)[0, 1, 2])
        {
            for (var i = 0; i < nodes.Count && left > 0; i++)
            {
                if (!keep[i] && Rank(nodes[i]) == rank)
                {
                    keep[i] = true;
                    left--;
                }
            }
        }

        var visible = new List<NodeProgress>(max);
        for (var i = 0; i < nodes.Count; i++)
        {
            if (keep[i])
            {
                visible.Add(nodes[i]);
            }
            else
            {
                folded.Add(nodes[i].State);
            }
        }

        return visible;

        static int Rank(NodeProgress node) => node.State switch
        {
            TaskState.Running or TaskState.Retrying => 0,
            _ when ProgressText.IsFailure(node.State) => 0,
            TaskState.Pending => 1,
            _ => 2,
        };
    }

    private static string Icon(NodeProgress node, int frame, bool unicode)
    {
        var colour = Colours.Of(node.State);
        var icon = node.State switch
        {
            TaskState.Running => unicode ? Spinner.Known.Dots.Frames[frame % Spinner.Known.Dots.Frames.Count] : Spinner.Known.Ascii.Frames[frame % Spinner.Known.Ascii.Frames.Count],
            TaskState.Retrying => unicode ? "↻" : "~",
            TaskState.Succeeded or TaskState.Cached => unicode ? "✔" : "+",
            TaskState.Failed or TaskState.TimedOut or TaskState.Crashed => unicode ? "✗" : "x",
            TaskState.Skipped => "-",
            TaskState.Cancelled => "!",
            _ => unicode ? "·" : ".",
        };
        return $"[{colour}]{Markup.Escape(icon)}[/]";
    }

    private static string StateCell(NodeProgress node, bool unicode)
    {
        if (node is { Kind: FlowNodeKind.Map, Total: > 0 })
        {
            return Bar(node, unicode);
        }

        var state = ProgressText.State(node.State);
        if (node.State == TaskState.Succeeded && node.Restored)
        {
            state = "restored";
        }

        return $"[{Colours.Of(node.State)}]{state}[/]";
    }

    /// <summary>A bar of the map's elements: succeeded, failed, otherwise ended, running, waiting.</summary>
    private static string Bar(NodeProgress node, bool unicode)
    {
        var full = unicode ? '━' : '#';
        var empty = unicode ? '─' : '-';
        var total = (long)Math.Max(node.Total, node.EndedCount + node.Running + node.RetryWaits);
        var bar = new StringBuilder();
        long cumulative = 0;
        var drawn = 0;
        void Segment(long count, string colour, char c)
        {
            cumulative += count;
            var until = (int)(cumulative * BarWidth / total);
            if (until > drawn)
            {
                bar.Append('[').Append(colour).Append(']').Append(c, until - drawn).Append("[/]");
                drawn = until;
            }
        }

        Segment(node.Succeeded + node.Cached, "green", full);
        Segment(node.Failed, node.KeepsFailures ? "darkorange" : "red", full);
        Segment(node.Skipped + node.Cancelled, "grey", full);
        Segment(node.Running + node.RetryWaits, "blue", full);
        Segment(total - cumulative, "grey23", empty);
        return bar.ToString();
    }

    private static string CountsCell(NodeProgress node)
    {
        switch (node.Kind)
        {
            case FlowNodeKind.Map:
                var total = node.Total >= 0 ? ProgressText.Count(node.Total) : "?";
                var text = new StringBuilder().Append(ProgressText.Count(node.EndedCount)).Append('/').Append(total);
                if (node.Failed > 0)
                {
                    text.Append(" [red]").Append(ProgressText.Count(node.Failed)).Append(node.KeepsFailures ? " failed (kept)" : " failed").Append("[/]");
                }

                if (node.Running > 0)
                {
                    text.Append(" [blue]").Append(ProgressText.Count(node.Running)).Append(" running[/]");
                }

                if (node.RetryWaits > 0)
                {
                    text.Append(" [yellow]").Append(ProgressText.Count(node.RetryWaits)).Append(" retrying[/]");
                }

                return text.ToString();
            case FlowNodeKind.Task when node.Attempts > 1:
                return $"[grey]attempt {node.Attempts}[/]";
            case FlowNodeKind.Task when node.SkipReason == TaskRun.BranchNotTaken:
                return "[grey]branch not taken[/]";
            default:
                return string.Empty;
        }
    }

    private static string TimeCell(NodeProgress node, DateTimeOffset now)
    {
        if (node.Kind == FlowNodeKind.Task && node.IsFinal)
        {
            return node.Attempts > 0 && node.Duration is { } duration ? ProgressText.Duration(duration) : string.Empty;
        }

        return node switch
        {
            { Started: { } start, Ended: { } end } => ProgressText.Duration(end - start),
            { Started: { } start } when !node.IsFinal => ProgressText.Duration(now - start),
            _ => string.Empty,
        };
    }

    /// <summary>What the nodes left out of a frame are doing, counted by state.</summary>
    private struct FoldedNodes
    {
        private int[]? _byState;

        public int Count { get; private set; }

        public void Add(TaskState state)
        {
            _byState ??= new int[Enum.GetValues<TaskState>().Length];
            _byState[(int)state]++;
            Count++;
        }

        public readonly string Describe()
        {
            var byState = _byState;
            return byState is null ? string.Empty : string.Join(", ", Enum.GetValues<TaskState>().Where(s => byState[(int)s] > 0).Select(s => $"{ProgressText.Count(byState[(int)s])} {ProgressText.State(s)}"));
        }
    }
}
