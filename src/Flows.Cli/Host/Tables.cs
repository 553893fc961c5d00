using Flows.Graph;
using Spectre.Console;

namespace Flows.Cli.Host;

/// <summary>The tables the host prints: the flows of a project, and the tasks of a run.</summary>
internal static class Tables
{
    public static Table Flows(IReadOnlyList<FlowCatalogEntry> flows)
    {
        var names = FlowNames.ShortestUniqueName(flows);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Flow").AddColumn("Type").AddColumn("Parameters").AddColumn("Result");
        foreach (var flow in flows.OrderBy(names, StringComparer.Ordinal))
        {
            var parameters = flow.Parameters.Count == 0
                ? "[grey](none)[/]"
                : string.Join(", ", flow.Parameters.Select(p => p.IsBound
                    ? $"[grey]{Markup.Escape(p.ToString())} (bound)[/]"
                    : Markup.Escape(p.ToString())));
            table.AddRow(
                new Markup("[bold]" + Markup.Escape(names(flow)) + "[/]"),
                new Text(flow.DeclaringType.FullName?.Replace('+', '.') ?? flow.DeclaringType.Name),
                new Markup(parameters),
                flow.ResultTypeName is null ? new Markup("[grey](none)[/]") : new Text(flow.ResultTypeName));
        }

        return table;
    }

    public static Table Tasks(FlowRun run)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Task").AddColumn("State").AddColumn(new TableColumn("Attempts").RightAligned())
            .AddColumn(new TableColumn("Duration").RightAligned()).AddColumn("Note");
        foreach (var task in run.Tasks)
        {
            var note = task.Restored ? "restored from the store"
                : task.State == TaskState.Skipped ? task.SkipReason ?? string.Empty
                : task.Exception is { } error && task.State != TaskState.Succeeded ? ExceptionText.Short(error)
                : string.Empty;
            table.AddRow(
                new Text(task.Name),
                new Markup($"[{StateText.Colour(task.State)}]{Markup.Escape(StateText.State(task.State))}[/]"),
                new Text(task.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(StateText.Seconds(task.Duration)),
                new Text(note));
        }

        return table;
    }
}
