using Flows.Console.Display;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Flows.Console.Summary;

/// <summary>The final table for a terminal: a Spectre table, states in colour, then the run's line.</summary>
internal static class SpectreTable
{
    public static IRenderable Render(RunSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey);
        foreach (var (header, i) in SummaryText.Headers.Select((h, i) => (h, i)))
        {
            var column = new TableColumn(new Markup($"[bold]{header}[/]"));
            table.AddColumn(i is 2 or 3 ? column.RightAligned() : column);
        }

        foreach (var row in summary.Rows)
        {
            var cells = SummaryText.Cells(row);
            var colour = Colours.Of(row.State);
            table.AddRow(
                new Text(cells[0]),
                new Markup($"[{colour}]{Markup.Escape(cells[1])}[/]"),
                new Text(cells[2]),
                new Text(cells[3]),
                new Text(cells[4]));
        }

        if (SummaryText.FoldedLine(summary) is { } folded)
        {
            table.AddRow(new Markup($"[grey]{Markup.Escape(folded)}[/]"));
        }

        var footer = SummaryText.Footer(summary);
        var runColour = summary.Run.State == FlowState.Succeeded ? "green" : "red";
        return new Rows(table, new Markup($"[{runColour}]{Markup.Escape(footer)}[/]"));
    }
}
