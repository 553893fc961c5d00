using System.Text;

namespace Flows.Console.Summary;

/// <summary>The final table as plain text: aligned columns, no box drawing, no colour; for logs.</summary>
internal static class PlainTable
{
    public static string Render(RunSummary summary)
    {
        var rows = new List<string[]> { SummaryText.Headers };
        rows.AddRange(summary.Rows.Select(SummaryText.Cells));
        var widths = new int[SummaryText.Headers.Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                // Numbers to the right (attempts, duration), words to the left.
                var cell = i is 2 or 3 ? row[i].PadLeft(widths[i]) : row[i].PadRight(widths[i]);
                line.Append(cell).Append("  ");
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }

        if (SummaryText.FoldedLine(summary) is { } folded)
        {
            text.Append(folded).Append('\n');
        }

        text.Append(SummaryText.Footer(summary)).Append('\n');
        return text.ToString();
    }
}
