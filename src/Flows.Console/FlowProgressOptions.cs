using Spectre.Console;

namespace Flows.Console;

/// <summary>What <see cref="FlowProgress"/> shows, and where.</summary>
public sealed class FlowProgressOptions
{
    /// <summary>Where the display goes; <see cref="AnsiConsole.Console"/> (standard output) when null.</summary>
    public IAnsiConsole? Console { get; init; }

    /// <summary>Live display or plain lines; by default chosen from the console (<see cref="FlowProgressMode.Auto"/>).</summary>
    public FlowProgressMode Mode { get; init; } = FlowProgressMode.Auto;

    /// <summary>How often the live display is redrawn: 100 ms by default (Dask's progress bar's pace). At least 10 ms.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether the run's end prints the table of every node (state, attempts, duration, map counts). True by default.</summary>
    public bool ShowFinalTable { get; init; } = true;

    /// <summary>
    /// How many node lines (tasks, maps, subflows) the live display shows at most (30 by default): past that, nodes that
    /// ended well, then nodes still waiting, fold into one summary line; running and failed nodes stay.
    /// </summary>
    public int MaxNodeLines { get; init; } = 30;

    /// <summary>
    /// How many node rows the final table has at most (100 by default): past that, failed and cancelled
    /// nodes, maps and subflows come first, and the rest fold into one line that counts them by state
    /// (a fanout of ten thousand tasks gets a table, not ten thousand rows).
    /// </summary>
    public int MaxTableRows { get; init; } = 100;

    /// <summary>
    /// How many failures and retries are printed as they happen (50 by default); the rest are counted,
    /// and the final table has them all. A map of ten thousand failing elements does not flood the terminal.
    /// </summary>
    public int MaxFailureMessages { get; init; } = 50;
}
