using System.Globalization;
using Spectre.Console;

namespace Flows.Cli.Host;

/// <summary>
/// A run's progress as plain lines, one per event worth a line: time since the run started, what happened, to which
/// task. Called on the run's one event-delivery thread.
/// </summary>
internal sealed class ProgressLines(IAnsiConsole console) : IFlowEventListener
{
    private DateTimeOffset _start;

    public void OnEvent(FlowEvent flowEvent)
    {
        switch (flowEvent)
        {
            case FlowStarted started:
                _start = started.Time;
                Line(started, "blue", "started", $"flow {started.FlowName} ({started.Graph.Nodes.Count} node(s))");
                break;
            case TaskStarted { Attempt: > 1 } task:
                Line(task, "yellow", "retry", $"{task.Task} (attempt {task.Attempt})");
                break;
            case TaskStarted task:
                Line(task, "grey", "running", task.Task);
                break;
            case TaskRetrying retrying:
                Line(retrying, "yellow", "retrying", $"{retrying.Task} in {Seconds(retrying.Delay)}: attempt {retrying.Attempt} {State(retrying.Outcome)}{Cause(retrying.Error)}");
                break;
            case TaskFinished finished:
                Line(finished, Colour(finished.State), State(finished.State), $"{finished.Task} in {Seconds(finished.Duration)}{Cause(finished.State is TaskState.Failed or TaskState.TimedOut or TaskState.Crashed ? finished.Error : null)}");
                break;
            case MapExpanded map:
                Line(map, "blue", "mapped", $"{map.Node} over {map.Count} element(s)");
                break;
            case EventsDropped dropped:
                Line(dropped, "yellow", "dropped", $"{dropped.Count} event(s) the display could not keep up with");
                break;
            case FlowFinished finished:
                Line(finished, finished.State == FlowState.Succeeded ? "green" : "red", State(finished.State), $"flow {finished.FlowName} in {Seconds(finished.Duration)}");
                break;
        }
    }

    private void Line(FlowEvent flowEvent, string colour, string what, string text)
    {
        var elapsed = (flowEvent.Time - _start).TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture).PadLeft(7);
        console.MarkupLine($"[grey]{elapsed}s[/] [{colour}]{Markup.Escape(what.PadRight(9))}[/] {Markup.Escape(text)}");
    }

    public static string State(FlowState state) => state.ToString().ToLowerInvariant();

    public static string State(TaskState state) => state switch
    {
        TaskState.TimedOut => "timed out",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static string Colour(TaskState state) => state switch
    {
        TaskState.Succeeded or TaskState.Cached => "green",
        TaskState.Skipped => "grey",
        TaskState.Cancelled => "yellow",
        _ => "red",
    };

    public static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string Cause(Exception? error) =>
        error is null ? string.Empty : $": {ExceptionText.Short(error)}";
}
