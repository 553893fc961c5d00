using Flows.Console.Model;
using Flows.Console.Summary;

namespace Flows.Console.Display;

/// <summary>
/// Plain lines, for output that is not a terminal: the run's start, each node's end (a map's with its
/// counts), each failure and retry as it happens, a map's progress at each quarter, and the final
/// table as aligned text. Written straight to the console's writer, so that no line is wrapped.
/// </summary>
internal sealed class PlainView(TextWriter output, RunModel model, FlowProgressOptions options) : IProgressView
{
    private readonly FailureMessages _failures = new(options.MaxFailureMessages);

    public void Started() => Write(ProgressLines.Started(model));

    public void Changed(ProgressChange change, FlowEvent flowEvent, NodeProgress? node)
    {
        if ((change & ProgressChange.FirstDrop) != 0)
        {
            Write(ProgressLines.FirstDrop(model));
        }

        if ((change & ProgressChange.Retrying) != 0 && flowEvent is TaskRetrying retrying)
        {
            Failure(ProgressLines.Retrying(retrying));
        }

        if ((change & ProgressChange.ElementFailed) != 0 && flowEvent is TaskFinished failed)
        {
            Failure(ProgressLines.ElementFailed(failed, node?.KeepsFailures == true));
        }

        if ((change & ProgressChange.Milestone) != 0 && node is not null)
        {
            Write(ProgressLines.Milestone(node));
        }

        if ((change & ProgressChange.NodeEnded) != 0 && node is not null)
        {
            Write(ProgressLines.NodeEnded(node));
        }
    }

    public void Finished(FlowFinished finished)
    {
        if (_failures.Suppressed > 0)
        {
            Write(ProgressLines.Suppressed(_failures.Suppressed));
        }

        if (model.Dropped > 0)
        {
            Write(ProgressLines.Dropped(model));
        }

        var summary = RunSummary.Create(finished.Run, model, options.MaxTableRows);
        if (options.ShowFinalTable)
        {
            output.Write(PlainTable.Render(summary));
        }
        else
        {
            output.WriteLine(SummaryText.Footer(summary));
        }

        output.Flush();
    }

    public void Abort() => output.Flush();

    private void Failure(string line)
    {
        if (_failures.Take(out var justRanOut))
        {
            Write(line);
        }
        else if (justRanOut)
        {
            Write(ProgressLines.Muted);
        }
    }

    private void Write(string line)
    {
        output.Write(model.FlowName);
        output.Write(": ");
        output.WriteLine(line);
    }
}
