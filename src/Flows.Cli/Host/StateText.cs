using System.Globalization;

namespace Flows.Cli.Host;

/// <summary>How the tool's own lines and table name states and durations.</summary>
internal static class StateText
{
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

}
