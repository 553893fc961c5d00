using Flows.Console.Model;
using Flows.Console.Summary;
using Spectre.Console;

namespace Flows.Console.Display;

/// <summary>
/// The live display: one thread of its own runs Spectre's live display (which is not thread-safe, so
/// nothing else writes to the console meanwhile) and redraws it from the model at the refresh interval.
/// Failures and retries the events tell are queued, and printed above the live area by that thread.
/// </summary>
internal sealed class LiveView : IProgressView
{
    private readonly IAnsiConsole _console;
    private readonly RunModel _model;
    private readonly FlowProgressOptions _options;
    private readonly Action<IAnsiConsole>? _rendered;
    private readonly Queue<string> _notices = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly FailureMessages _failures;
    private readonly bool _unicode;
    private Thread? _thread;
    private Exception? _failure;
    private int _frame;

    public LiveView(IAnsiConsole console, RunModel model, FlowProgressOptions options, Action<IAnsiConsole>? rendered)
    {
        _console = console;
        _model = model;
        _options = options;
        _rendered = rendered;
        _failures = new FailureMessages(options.MaxFailureMessages);
        _unicode = console.Profile.Capabilities.Unicode;
    }

    public void Started()
    {
        _thread = new Thread(Render) { IsBackground = true, Name = "Flows progress display" };
        _thread.Start();
    }

    public void Changed(ProgressChange change, FlowEvent flowEvent, NodeProgress? node)
    {
        if ((change & ProgressChange.Retrying) != 0 && flowEvent is TaskRetrying retrying)
        {
            Failure("[yellow]" + (_unicode ? "↻" : "~") + "[/] ", () => ProgressLines.Retrying(retrying));
        }

        if ((change & ProgressChange.ElementFailed) != 0 && flowEvent is TaskFinished failed)
        {
            Failure("[red]" + (_unicode ? "✗" : "x") + "[/] ", () => ProgressLines.ElementFailed(failed, node?.KeepsFailures == true));
        }

        if ((change & ProgressChange.NodeEnded) != 0 && node is not null && ProgressText.IsFailure(node.State) && node.Kind != Graph.FlowNodeKind.Map)
        {
            // A task's (or a subflow's) failure; a map's failures were told element by element.
            Failure("[red]" + (_unicode ? "✗" : "x") + "[/] ", () => ProgressLines.NodeEnded(node));
        }
    }

    public void Finished(FlowFinished finished)
    {
        lock (_model.Gate)
        {
            // The last frame says how the run ended (it stays on screen when no table follows).
            _model.Outcome = finished.Run;
            _model.Poll();
        }

        Stop();
        if (_failure is not null)
        {
            _console.MarkupLine($"[yellow]The live display stopped: {Markup.Escape(ProgressText.Error(_failure))}[/]");
        }

        if (_failures.Suppressed > 0)
        {
            _console.MarkupLine($"[grey]{Markup.Escape(ProgressLines.Suppressed(_failures.Suppressed))}[/]");
        }

        if (_model.Dropped > 0)
        {
            _console.MarkupLine($"[yellow]{Markup.Escape(ProgressLines.Dropped(_model))}[/]");
        }

        var summary = RunSummary.Create(finished.Run, _model, _options.MaxTableRows);
        if (_options.ShowFinalTable)
        {
            _console.Write(SpectreTable.Render(summary));
        }
        else
        {
            var colour = finished.State == FlowState.Succeeded ? "green" : "red";
            _console.MarkupLine($"[{colour}]{Markup.Escape(SummaryText.Footer(summary))}[/]");
        }
    }

    public void Abort() => Stop();

    private void Stop()
    {
        _stop.Set();
        _thread?.Join();
    }

    /// <summary>Queues a failure or retry message (under the model's lock), within the run's budget.</summary>
    private void Failure(string marker, Func<string> line)
    {
        if (_failures.Take(out var justRanOut))
        {
            _notices.Enqueue(marker + Markup.Escape(line()));
        }
        else if (justRanOut)
        {
            _notices.Enqueue("[grey]" + Markup.Escape(ProgressLines.Muted) + "[/]");
        }
    }

    private void Render()
    {
        try
        {
            // What failed during the wait is printed before the live area appears.
            var first = Frame(out var early);
            foreach (var notice in early)
            {
                _console.MarkupLine(notice);
            }

            // The final table takes the live area's place; without it, the last frame stays.
            _console.Live(first)
                .AutoClear(_options.ShowFinalTable)
                .Overflow(VerticalOverflow.Ellipsis)
                .Start(context =>
                {
                    while (true)
                    {
                        var stopping = _stop.Wait(_options.RefreshInterval);
                        var frame = Frame(out var notices);
                        foreach (var notice in notices)
                        {
                            _console.MarkupLine(notice);
                        }

                        context.UpdateTarget(frame);
                        context.Refresh();
                        _rendered?.Invoke(_console);
                        if (stopping)
                        {
                            return;
                        }
                    }
                });
        }
        catch (Exception ex)
        {
            // A console that cannot take a live display (another one runs, the terminal went away): the
            // run goes on, and its end still prints the table.
            _failure = ex;
        }
    }

    private Spectre.Console.Rendering.IRenderable Frame(out string[] notices)
    {
        lock (_model.Gate)
        {
            notices = _notices.Count == 0 ? [] : [.. _notices];
            _notices.Clear();
            _model.Poll();
            return LiveFrame.Build(_model, DateTimeOffset.UtcNow, _frame++, _options.MaxNodeLines, _unicode);
        }
    }
}
