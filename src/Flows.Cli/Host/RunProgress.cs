using Flows.Console;
using Spectre.Console;

namespace Flows.Cli.Host;

/// <summary>The one place <c>flows run</c> chooses how a run's progress is shown while it goes.</summary>
internal static class RunProgress
{
    /// <summary>
    /// Flows.Console's display on <paramref name="console"/>: live in a terminal, plain lines when the output
    /// is redirected. The tool prints its own table after the run, so the display's is left out.
    /// </summary>
    public static IFlowEventListener Listener(IAnsiConsole console) =>
        new FlowProgress(new FlowProgressOptions { Console = console, ShowFinalTable = false });
}
