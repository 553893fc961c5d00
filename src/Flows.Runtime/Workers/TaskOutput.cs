namespace Flows.Workers;

/// <summary>
/// What a task writes to the console in a worker process, marked with the task: the worker host
/// installs <see cref="MarkingWriter"/>s as <see cref="Console.Out"/> and <see cref="Console.Error"/>,
/// and each line written while a task's code runs starts with <c>[task NAME] </c>. The flow process
/// passes those lines on as the task's (<see cref="WorkerOutput"/>).
/// </summary>
internal static class TaskOutput
{
    /// <summary>How a marked line starts: the marker, the task's name, then <c>"] "</c>.</summary>
    public const string Marker = "[task ";

    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>The task whose code runs in this execution context (it flows into the task's awaits), or null.</summary>
    public static string? Current => s_current.Value;

    /// <summary>Marks the console output of the worker process from now on (its hosts call this once).</summary>
    public static void Install()
    {
        if (Console.Out is not MarkingWriter)
        {
            Console.SetOut(new MarkingWriter(Console.Out));
        }

        if (Console.Error is not MarkingWriter)
        {
            Console.SetError(new MarkingWriter(Console.Error));
        }
    }

    /// <summary>From here, in this execution context, output belongs to <paramref name="taskName"/>; returns what to give <see cref="Leave"/>.</summary>
    public static string? Enter(string taskName)
    {
        var previous = s_current.Value;
        s_current.Value = taskName;
        return previous;
    }

    public static void Leave(string? previous) => s_current.Value = previous;

    /// <summary>Whether a line of a worker's output was written by a task.</summary>
    public static bool IsMarked(string line) => line.StartsWith(Marker, StringComparison.Ordinal);
}
