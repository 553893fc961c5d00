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

    /// <summary>The task whose synchronous code runs on this thread (cheap to set: most tasks are synchronous).</summary>
    [ThreadStatic]
    private static string? t_current;

    /// <summary>The asynchronous task whose code runs in this execution context: it flows into the task's awaits.</summary>
    private static readonly AsyncLocal<string?> s_asyncCurrent = new();

    /// <summary>The task whose code writes now, or null.</summary>
    public static string? Current => t_current ?? s_asyncCurrent.Value;

    private static readonly object s_installGate = new();
    private static TextWriter? s_installedOut;
    private static TextWriter? s_installedError;

    /// <summary>
    /// Marks the console output of the worker process from now on (its hosts call this once), or, in a
    /// flow process, lets a run capture its tasks' output (<see cref="FlowRunOptions.CaptureConsole"/>):
    /// the writers pass through whatever no task writes.
    /// </summary>
    public static void Install()
    {
        // Console.SetOut wraps the writer in a synchronized one, so Console.Out is never a MarkingWriter:
        // the wrappers installed last tell. A writer someone set since (a test, a host) is wrapped in turn.
        lock (s_installGate)
        {
            if (!ReferenceEquals(Console.Out, s_installedOut))
            {
                Console.SetOut(new MarkingWriter(Console.Out));
                s_installedOut = Console.Out;
            }

            if (!ReferenceEquals(Console.Error, s_installedError))
            {
                Console.SetError(new MarkingWriter(Console.Error, isError: true));
                s_installedError = Console.Error;
            }
        }
    }

    /// <summary>
    /// From here, output on this thread belongs to <paramref name="taskName"/>, and, for an
    /// asynchronous task, in the execution context its awaits continue in. Give the result to <see cref="Leave"/>.
    /// </summary>
    public static Mark Enter(string taskName, bool isAsync)
    {
        var mark = new Mark(t_current, isAsync);
        t_current = taskName;
        if (isAsync)
        {
            s_asyncCurrent.Value = taskName;
        }

        return mark;
    }

    /// <summary>Ends what <see cref="Enter"/> began on this thread (an asynchronous task's awaits keep their mark).</summary>
    public static void Leave(Mark mark)
    {
        t_current = mark.Previous;
        if (mark.WasAsync)
        {
            s_asyncCurrent.Value = null;
        }
    }

    /// <summary>What <see cref="Enter"/> changed.</summary>
    public readonly record struct Mark(string? Previous, bool WasAsync);

    /// <summary>Whether a line of a worker's output was written by a task.</summary>
    public static bool IsMarked(string line) => line.StartsWith(Marker, StringComparison.Ordinal);
}
