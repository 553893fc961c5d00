namespace Flows.Pictures;

/// <summary>
/// Draws the run's timeline as SVG: one row per task run, from its start to its end, coloured by
/// state. A map of more than <see cref="ElementRowsUpTo"/> elements is one row: how many of its
/// elements ran at once over time, with a mark where an element failed, so that a map of ten thousand
/// elements costs a few kilobytes, not ten thousand bars.
/// </summary>
internal static class TimelineWriter
{
    public const int ElementRowsUpTo = 40;
    private const double LabelWidth = 210;
    private const double BarsWidth = 760;
    private const double RowHeight = 18;
    private const int Buckets = 190;

    public static void Write(TextWriter output, FlowRun run, RunPicture pictured)
    {
        var rows = Rows(run, pictured);
        var span = run.Duration;
        foreach (var row in rows)
        {
            foreach (var bar in row.Bars)
            {
                span = bar.Start + bar.Length > span ? bar.Start + bar.Length : span;
            }
        }

        var total = Math.Max(span.TotalMilliseconds, 0.001);
        double X(TimeSpan at) => LabelWidth + (Math.Clamp(at.TotalMilliseconds / total, 0, 1) * BarsWidth);

        var height = 24 + (rows.Count * RowHeight) + 8;
        var width = LabelWidth + BarsWidth + 40;
        output.Write($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"{HtmlText.Number(width)}\" height=\"{HtmlText.Number(height)}\" viewBox=\"0 0 {HtmlText.Number(width)} {HtmlText.Number(height)}\" role=\"img\">\n");
        for (var t = 0; t <= 4; t++)
        {
            var at = TimeSpan.FromMilliseconds(total * t / 4);
            var x = HtmlText.Number(X(at));
            output.Write($"<line class=\"tick\" x1=\"{x}\" y1=\"16\" x2=\"{x}\" y2=\"{HtmlText.Number(height - 4)}\"/><text class=\"tick\" x=\"{x}\" y=\"12\">{HtmlText.Duration(at)}</text>\n");
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var y = 22 + (r * RowHeight);
            output.Write($"<g class=\"row {PaintStates.ClassName(row.State)}\"><text class=\"label\" x=\"{HtmlText.Number(LabelWidth - 8)}\" y=\"{HtmlText.Number(y + 12)}\">{HtmlText.Escape(HtmlText.Clip(row.Label, 30))}</text>");
            if (row.Aggregated)
            {
                WriteDensity(output, row, y, total);
            }
            else
            {
                foreach (var bar in row.Bars)
                {
                    var x = X(bar.Start);
                    var barWidth = Math.Max(1.5, X(bar.Start + bar.Length) - x);
                    var tip = $"{row.Label}: {PaintStates.Words(bar.State)}, {HtmlText.Duration(bar.Length)} from {HtmlText.Duration(bar.Start)}";
                    output.Write($"<rect class=\"bar {PaintStates.ClassName(bar.State)}\" x=\"{HtmlText.Number(x)}\" y=\"{HtmlText.Number(y + 2)}\" width=\"{HtmlText.Number(barWidth)}\" height=\"{HtmlText.Number(RowHeight - 5)}\" rx=\"2\"><title>{HtmlText.Escape(tip)}</title></rect>");
                }
            }

            output.Write("</g>\n");
        }

        output.Write("</svg>\n");
    }

    /// <summary>Per bucket of the run's time, the mean number of the map's elements running; a mark at each of the first failures.</summary>
    private static void WriteDensity(TextWriter output, Row row, double y, double total)
    {
        var density = new double[Buckets];
        var marks = 0;
        foreach (var bar in row.Bars)
        {
            var a = bar.Start.TotalMilliseconds / total * Buckets;
            var b = (bar.Start + bar.Length).TotalMilliseconds / total * Buckets;
            for (var k = Math.Max(0, (int)a); k < Buckets && k <= (int)b; k++)
            {
                density[k] += Math.Max(0, Math.Min(b, k + 1) - Math.Max(a, k));
            }
        }

        var peak = Math.Max(density.Max(), 1e-9);
        var step = BarsWidth / Buckets;
        output.Write("<g class=\"density\">");
        for (var k = 0; k < Buckets; k++)
        {
            if (density[k] <= 0)
            {
                continue;
            }

            var barHeight = Math.Max(1, (RowHeight - 4) * density[k] / peak);
            output.Write($"<rect x=\"{HtmlText.Number(LabelWidth + (k * step))}\" y=\"{HtmlText.Number(y + RowHeight - 2 - barHeight)}\" width=\"{HtmlText.Number(step + 0.3)}\" height=\"{HtmlText.Number(barHeight)}\"/>");
        }

        output.Write("</g>");
        foreach (var bar in row.Bars)
        {
            if (bar.State is PaintState.Failed or PaintState.TimedOut or PaintState.Crashed && marks++ < NodeStatus.ListedFailures)
            {
                var x = HtmlText.Number(LabelWidth + (Math.Clamp(bar.Start.TotalMilliseconds / total, 0, 1) * BarsWidth));
                output.Write($"<line class=\"mark {PaintStates.ClassName(bar.State)}\" x1=\"{x}\" y1=\"{HtmlText.Number(y + 1)}\" x2=\"{x}\" y2=\"{HtmlText.Number(y + RowHeight - 2)}\"/>");
            }
        }

        output.Write($"<title>{HtmlText.Escape($"{row.Label}: {row.Tooltip}; the height shows how many ran at once (at most {HtmlText.Number(Math.Round(peak, 1))})")}</title>");
    }

    private readonly record struct Bar(TimeSpan Start, TimeSpan Length, PaintState State);

    private sealed record Row(string Label, PaintState State, List<Bar> Bars, bool Aggregated, string Tooltip);

    private static List<Row> Rows(FlowRun run, RunPicture pictured)
    {
        var picture = pictured.Picture;
        var elementBars = new List<Bar>?[picture.Nodes.Count];
        var elementRows = new List<Row>?[picture.Nodes.Count];
        for (var i = 0; i < picture.Nodes.Count; i++)
        {
            if (pictured.Statuses[i].Elements > ElementRowsUpTo)
            {
                elementBars[i] = new List<Bar>();
            }
            else if (pictured.Statuses[i].Elements > 0)
            {
                elementRows[i] = new List<Row>();
            }
        }

        List<Bar> BarsOf(TaskRun task) => task.Start is { } at ? new List<Bar> { new(at - run.Start, task.Duration, PaintStates.Of(task)) } : new List<Bar>();

        foreach (var (node, element, task) in RunPicture.Match(picture, run.Tasks))
        {
            if (node < 0 || element < 0)
            {
                continue;
            }

            if (elementBars[node] is { } bars)
            {
                bars.AddRange(BarsOf(task));
            }
            else
            {
                var state = PaintStates.Of(task);
                elementRows[node]?.Add(new Row(task.Name, state, BarsOf(task), false, PaintStates.Words(state)));
            }
        }

        var rows = new List<Row>();
        for (var i = 0; i < picture.Nodes.Count; i++)
        {
            var node = picture.Nodes[i];
            var status = pictured.Statuses[i];
            if (elementBars[i] is { } bars)
            {
                rows.Add(new Row($"{node.RunName} ×{status.Elements}", status.State, bars, true, status.Summary));
            }
            else if (elementRows[i] is { } elements)
            {
                rows.AddRange(elements);
            }
            else
            {
                rows.Add(new Row(node.RunName, status.State, status.Single is { } single ? BarsOf(single) : new List<Bar>(), false, status.Summary));
            }
        }

        return rows;
    }
}
