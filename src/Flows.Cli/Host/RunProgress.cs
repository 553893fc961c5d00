using Spectre.Console;

namespace Flows.Cli.Host;

/// <summary>The one place <c>flows run</c> chooses how a run's progress is shown while it goes.</summary>
internal static class RunProgress
{
    /// <summary>The listener that shows the run's progress on <paramref name="console"/>.</summary>
    /// <remarks>
    /// The seam for Flows.Console's live display (<c>Flows.Console.FlowProgress</c>); until it is connected, plain
    /// lines, one per task start, retry and end.
    /// </remarks>
    public static IFlowEventListener Listener(IAnsiConsole console) => new ProgressLines(console);
}
