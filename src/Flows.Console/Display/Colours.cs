namespace Flows.Console.Display;

/// <summary>The one colour of each state, in the live display and in the final table (Spectre colour names).</summary>
internal static class Colours
{
    public static string Of(TaskState? state) => state switch
    {
        TaskState.Succeeded or TaskState.Cached => "green",
        TaskState.Failed or TaskState.TimedOut or TaskState.Crashed => "red",
        TaskState.Running => "blue",
        TaskState.Retrying => "yellow",
        TaskState.Cancelled => "darkorange",
        _ => "grey",
    };
}
