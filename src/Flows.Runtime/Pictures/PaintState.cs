namespace Flows.Pictures;

/// <summary>
/// The state a picture colours a node by: a <see cref="TaskState"/>, with a skip told apart by its
/// reason (a branch not taken is a normal outcome, a skip after a failure is not) and a restored
/// result told apart from one computed in this run.
/// </summary>
internal enum PaintState
{
    // In the order a map's node takes the first of its elements' states that it has: the worst.
    Crashed,
    TimedOut,
    Failed,
    Cancelled,
    Skipped,
    Running,
    Retrying,
    Pending,
    NotTaken,
    Succeeded,
    Cached,
    Restored,
}

/// <summary>Names, words and colours of each <see cref="PaintState"/>, shared by every picture.</summary>
internal static class PaintStates
{
    public static readonly PaintState[] All = Enum.GetValues<PaintState>();

    public static PaintState Of(TaskRun task) => task switch
    {
        { Restored: true } => PaintState.Restored,
        { State: TaskState.Skipped, SkipReason: TaskRun.BranchNotTaken } => PaintState.NotTaken,
        _ => task.State switch
        {
            TaskState.Pending => PaintState.Pending,
            TaskState.Running => PaintState.Running,
            TaskState.Retrying => PaintState.Retrying,
            TaskState.Succeeded => PaintState.Succeeded,
            TaskState.Failed => PaintState.Failed,
            TaskState.Skipped => PaintState.Skipped,
            TaskState.Cancelled => PaintState.Cancelled,
            TaskState.TimedOut => PaintState.TimedOut,
            TaskState.Crashed => PaintState.Crashed,
            _ => PaintState.Cached,
        },
    };

    /// <summary>The CSS, Mermaid and DOT class name: lower case letters only.</summary>
    public static string ClassName(PaintState state) => state.ToString().ToLowerInvariant();

    /// <summary>How a count of this state reads: "2 failed", "1 not taken".</summary>
    public static string Words(PaintState state) => state switch
    {
        PaintState.TimedOut => "timed out",
        PaintState.NotTaken => "not taken",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Fill, stroke and text colours, light fills so that labels stay readable.</summary>
    public static (string Fill, string Stroke, string Text) Colours(PaintState state) => state switch
    {
        PaintState.Succeeded => ("#c8e6c9", "#2e7d32", "#1b3d1d"),
        PaintState.Cached => ("#bbdefb", "#1565c0", "#0d2c54"),
        PaintState.Restored => ("#b2dfdb", "#00695c", "#08332d"),
        PaintState.Failed => ("#ffcdd2", "#c62828", "#5c1010"),
        PaintState.TimedOut => ("#ffe0b2", "#e65100", "#5a2200"),
        PaintState.Crashed => ("#e1bee7", "#6a1b9a", "#38104f"),
        PaintState.Cancelled => ("#e0e0e0", "#616161", "#2b2b2b"),
        PaintState.Skipped => ("#fff9c4", "#f9a825", "#4d3a00"),
        PaintState.NotTaken => ("#fafafa", "#9e9e9e", "#616161"),
        PaintState.Running => ("#d1c4e9", "#4527a0", "#1f1147"),
        PaintState.Retrying => ("#ffecb3", "#ff8f00", "#4d2b00"),
        _ => ("#ffffff", "#90a4ae", "#37474f"),
    };

    /// <summary>Whether the state is drawn with a dashed border: it did not run, and nothing went wrong for it.</summary>
    public static bool Dashed(PaintState state) => state is PaintState.NotTaken or PaintState.Pending;
}
