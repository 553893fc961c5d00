using System.Globalization;
using System.Text;

namespace Flows.Pictures;

/// <summary>
/// Writes a run's report: one HTML file that needs nothing else (styles inline, no script, no font,
/// nothing from the network) and is valid XML as well: the header, the graph as SVG coloured by
/// state with a legend, the task table (a map in one row, its failed elements listed) and the timeline.
/// </summary>
internal static class HtmlReportWriter
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#263238;background:#fff}
        h1{font-size:22px;margin:0 0 6px}h2{font-size:16px;margin:28px 0 10px}
        .facts{display:flex;flex-wrap:wrap;gap:6px 22px;font-size:13px;margin:8px 0}.facts b{font-weight:600}
        .badge{display:inline-block;padding:1px 8px;border-radius:9px;border:1px solid;font-size:12px;font-weight:600}
        .legend{display:flex;flex-wrap:wrap;gap:6px 14px;font-size:12px;margin:6px 0 10px}
        .legend span{display:inline-flex;align-items:center;gap:5px}.legend i{width:14px;height:11px;border:1px solid;border-radius:3px;display:inline-block}
        .scroll{overflow-x:auto;border:1px solid #eceff1;border-radius:6px;padding:4px}
        table{border-collapse:collapse;font-size:13px;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff1;vertical-align:top}
        th{background:#f5f7f8;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.error{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-word;max-width:560px}
        details summary{cursor:pointer;color:#455a64}
        svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
        .graph .node rect{stroke-width:1.4}.graph .node .name{font-size:12px;font-weight:600}.graph .node .detail{font-size:11px}
        .graph .node rect.back{opacity:.55}
        .graph .cluster rect{fill:#f7f9fa;stroke:#b0bec5;stroke-dasharray:5 3}.graph .cluster.subflow rect{fill:#eef3f6;stroke-dasharray:none}
        .graph .cluster text{font-size:11px;fill:#546e7a;font-style:italic}
        .edge{fill:none;stroke:#78909c;stroke-width:1.3}.edge.order{stroke-dasharray:6 4}.edge.condition{stroke-dasharray:2 3}
        .timeline .label{font-size:11px;text-anchor:end;fill:#37474f}.timeline .tick{stroke:#eceff1;font-size:10px;fill:#78909c}
        .timeline text.tick{stroke:none;text-anchor:middle}.timeline .mark{stroke-width:1.2}
        """;

    public static void Write(TextWriter output, FlowRun run, RunPicture pictured)
    {
        var states = new int[PaintStates.All.Length];
        foreach (var task in run.Tasks)
        {
            states[(int)PaintStates.Of(task)]++;
        }

        var flowState = run.State switch
        {
            FlowState.Succeeded => PaintState.Succeeded,
            FlowState.Failed => PaintState.Failed,
            FlowState.Cancelled => PaintState.Cancelled,
            _ => PaintState.Running,
        };

        output.Write("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        output.Write($"<title>{HtmlText.Escape($"{run.FlowName}: {run.State}")}</title>\n");
        output.Write("<style>\n");
        output.Write(Style);
        output.Write(StateStyles());
        output.Write("</style>\n</head>\n<body>\n");

        output.Write($"<h1>{HtmlText.Escape(run.FlowName)} <span class=\"badge {PaintStates.ClassName(flowState)}\">{HtmlText.Escape(run.State.ToString())}</span></h1>\n");
        output.Write("<div class=\"facts\">");
        Fact(output, "run", run.RunId);
        Fact(output, "started", run.Start.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture));
        Fact(output, "duration", HtmlText.Duration(run.Duration));
        Fact(output, "task runs", run.Tasks.Count.ToString("N0", CultureInfo.InvariantCulture));
        if (run.BytesMoved > 0)
        {
            Fact(output, "bytes moved", run.BytesMoved.ToString("N0", CultureInfo.InvariantCulture));
        }

        output.Write("</div>\n<div class=\"legend\">");
        foreach (var state in PaintStates.All)
        {
            if (states[(int)state] > 0)
            {
                output.Write($"<span><i class=\"swatch {PaintStates.ClassName(state)}\"></i>{states[(int)state].ToString("N0", CultureInfo.InvariantCulture)} {HtmlText.Escape(PaintStates.Words(state))}</span>");
            }
        }

        output.Write("</div>\n");
        if (run.FirstFailure is { } failure && !failure.FailureKept)
        {
            output.Write($"<p>First failure: <b>{HtmlText.Escape(failure.Name)}</b> {HtmlText.Escape(PaintStates.Words(PaintStates.Of(failure)))}");
            if (failure.Exception is not null)
            {
                output.Write($": <code>{HtmlText.Escape(failure.ExceptionType)}: {HtmlText.Escape(failure.Exception.Message)}</code>");
            }

            output.Write("</p>\n");
        }

        output.Write("<h2>Graph</h2>\n<div class=\"legend\"><span>solid: reads the result</span><span>dashed: runs after</span><span>dotted, round head: runs if</span></div>\n<div class=\"scroll\">\n");
        SvgGraphWriter.Write(output, pictured);
        output.Write("</div>\n<h2>Tasks</h2>\n");
        WriteTable(output, run, pictured);
        output.Write("<h2>Timeline</h2>\n<div class=\"scroll\">\n");
        TimelineWriter.Write(output, run, pictured);
        output.Write("</div>\n</body>\n</html>\n");
    }

    private static void Fact(TextWriter output, string name, string value) =>
        output.Write($"<span>{HtmlText.Escape(name)}: <b>{HtmlText.Escape(value)}</b></span>");

    /// <summary>A rule per state for the graph's nodes, the timeline's bars, the badges and the legend.</summary>
    private static string StateStyles()
    {
        var css = new StringBuilder();
        foreach (var state in PaintStates.All)
        {
            var (fill, stroke, text) = PaintStates.Colours(state);
            var name = PaintStates.ClassName(state);
            var dash = PaintStates.Dashed(state) ? "stroke-dasharray:5 3;" : string.Empty;
            css.Append($".node.{name} rect{{fill:{fill};stroke:{stroke};{dash}}}.node.{name} text{{fill:{text}}}");
            css.Append($".bar.{name},.row.{name} .density rect{{fill:{fill};stroke:{stroke};stroke-width:.6}}.mark.{name}{{stroke:{stroke}}}");
            css.Append($".badge.{name},.swatch.{name}{{background:{fill};border-color:{stroke};color:{text}}}td.state.{name}{{color:{stroke};font-weight:600}}\n");
        }

        return css.ToString();
    }

    private static void WriteTable(TextWriter output, FlowRun run, RunPicture pictured)
    {
        output.Write("<table>\n<thead><tr><th>task</th><th>state</th><th>attempts</th><th>start</th><th>duration</th><th>error</th></tr></thead>\n<tbody>\n");
        var picture = pictured.Picture;
        for (var i = 0; i < picture.Nodes.Count; i++)
        {
            var node = picture.Nodes[i];
            var status = pictured.Statuses[i];
            var state = status.State;
            var name = status.Elements > 0 ? $"{node.RunName} ×{status.Elements.ToString("N0", CultureInfo.InvariantCulture)}" : node.RunName;
            if (node.TaskName is not null)
            {
                name += $" ({node.TaskName})";
            }

            var start = status.FirstStart is { } first ? "+" + HtmlText.Duration(first - run.Start) : string.Empty;
            var duration = status.FirstStart is { } from && status.LastEnd is { } to ? HtmlText.Duration(to - from) : string.Empty;
            output.Write($"<tr><td>{HtmlText.Escape(name)}</td><td class=\"state {PaintStates.ClassName(state)}\">{HtmlText.Escape(status.Summary)}</td>");
            output.Write($"<td class=\"num\">{status.Attempts.ToString(CultureInfo.InvariantCulture)}</td><td class=\"num\">{start}</td><td class=\"num\">{duration}</td><td class=\"error\">");
            if (status.Elements == 0)
            {
                WriteError(output, status.Single, "caught");
            }
            else if (status.Failures.Count > 0)
            {
                var failed = status.Count(PaintState.Failed) + status.Count(PaintState.TimedOut) + status.Count(PaintState.Crashed);
                var (element, firstFailure) = status.Failures[0];
                output.Write($"[{element.ToString(CultureInfo.InvariantCulture)}] ");
                WriteError(output, firstFailure, Kept(node));
                if (failed > 1)
                {
                    var shown = failed > status.Failures.Count ? $"the first {status.Failures.Count} of {failed} failed elements" : $"all {failed} failed elements";
                    output.Write($"<details><summary>{HtmlText.Escape(shown)}</summary>");
                    foreach (var (index, failedRun) in status.Failures)
                    {
                        output.Write($"<div>[{index.ToString(CultureInfo.InvariantCulture)}] ");
                        WriteError(output, failedRun, Kept(node));
                        output.Write("</div>");
                    }

                    output.Write("</details>");
                }
            }

            output.Write("</td></tr>\n");
        }

        output.Write("</tbody>\n</table>\n");
    }

    /// <summary>What a failure that did not fail the run is called: a TryMap keeps it as an outcome; a catch clause caught it.</summary>
    private static string Kept(PictureNode node) => node.Shape == PictureShape.TryMap ? "kept as its outcome" : "caught";

    private static void WriteError(TextWriter output, TaskRun? run, string kept)
    {
        if (run?.Exception is not { } exception)
        {
            if (run?.SkipReason is { } reason)
            {
                output.Write(HtmlText.Escape(reason));
            }

            return;
        }

        output.Write($"{HtmlText.Escape(BranchLabels.ShortTypeName(run.ExceptionType ?? exception.GetType().FullName ?? "Exception"))}: {HtmlText.Escape(HtmlText.Clip(exception.Message, 2_000))}");
        if (run.FailureKept)
        {
            output.Write($" ({kept})");
        }
    }
}
