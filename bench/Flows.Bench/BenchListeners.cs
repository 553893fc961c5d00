using System.Text;
using Flows;
using Flows.Console;
using Spectre.Console;

/// <summary>The event listeners a bench run may carry (<c>--listen</c>): what watching a run costs.</summary>
internal static class BenchListeners
{
    public static IReadOnlyList<IFlowEventListener>? For(string mode, IDictionary<string, object?> record, StringBuilder notes)
    {
        switch (mode)
        {
            case "none":
                return null;
            case "count":
                record["listen"] = mode;
                notes.Append("; events counted");
                return [new CountingListener()];
            case "progress":
            case "progress-plain":
                // The display as a terminal would show it (live, redrawn every 100 ms) or as a log file gets it
                // (plain lines), written to nowhere: what is measured is the run with the display on.
                record["listen"] = mode;
                notes.Append(mode == "progress" ? "; live progress display" : "; plain progress lines");
                var console = AnsiConsole.Create(new AnsiConsoleSettings
                {
                    Ansi = AnsiSupport.Yes,
                    Interactive = mode == "progress" ? InteractionSupport.Yes : InteractionSupport.No,
                    Out = new AnsiConsoleOutput(TextWriter.Null),
                });
                return [new FlowProgress(new FlowProgressOptions { Console = console, Mode = mode == "progress" ? FlowProgressMode.Live : FlowProgressMode.Plain, ShowFinalTable = Environment.GetEnvironmentVariable("EXP_TABLE") != "0" })];
            default:
                throw new ArgumentException($"--listen {mode}: expected none, count, progress or progress-plain.");
        }
    }

    /// <summary>The cheapest listener there is: the cost it shows is the run's, not the listener's.</summary>
    private sealed class CountingListener : IFlowEventListener
    {
        public long Count;

        public void OnEvent(FlowEvent flowEvent) => Count++;
    }
}
