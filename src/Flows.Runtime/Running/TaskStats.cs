namespace Flows;

/// <summary>
/// The mutable record of one task run (a task node, or one element of a mapped node), kept as a
/// struct so that a mapped node of a million elements costs one array, not a million objects.
/// </summary>
internal struct TaskStats
{
    /// <summary>A <see cref="TaskState"/>; terminal changes go through <see cref="TryFinish"/>.</summary>
    public int State;
    public int Attempts;
    public long FirstStart;
    public long LastEnd;
    public Exception? Error;
    public int Abandoned;

    /// <summary>Whether the result was computed, restored or taken from the cache (set before the terminal state).</summary>
    public TaskOrigin Origin;

    /// <summary>From the first attempt's start to the end of the last one; zero for a run that did not start.</summary>
    public static TimeSpan DurationOf(ref TaskStats stats) =>
        stats.Attempts > 0 && stats.LastEnd >= stats.FirstStart
            ? TimeSpan.FromTicks((long)((stats.LastEnd - stats.FirstStart) * (TimeSpan.TicksPerSecond / (double)System.Diagnostics.Stopwatch.Frequency)))
            : TimeSpan.Zero;

    /// <summary>The state a record reports: <see cref="TaskState.Cached"/> for a success taken from the cache.</summary>
    public static TaskState Reported(ref TaskStats stats)
    {
        var state = (TaskState)Volatile.Read(ref stats.State);
        return state == TaskState.Succeeded && stats.Origin == TaskOrigin.Cached ? TaskState.Cached : state;
    }

    public static bool IsTerminal(int state) => state >= (int)TaskState.Succeeded;

    /// <summary>Failed, timed out or crashed: the outcomes that fail a run (unlike Skipped and Cancelled).</summary>
    public static bool IsFailure(int state) => state is (int)TaskState.Failed or (int)TaskState.TimedOut or (int)TaskState.Crashed;

    /// <summary>Moves the record to a terminal state once; false if another thread got there first.</summary>
    public static bool TryFinish(ref TaskStats stats, TaskState final, Exception? error)
    {
        while (true)
        {
            var old = Volatile.Read(ref stats.State);
            if (IsTerminal(old))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref stats.State, (int)final, old) == old)
            {
                stats.Error = error;
                return true;
            }
        }
    }

    /// <summary>Moves a non-terminal record to a non-terminal state (Running, Retrying).</summary>
    public static void SetProgress(ref TaskStats stats, TaskState state)
    {
        var old = Volatile.Read(ref stats.State);
        if (!IsTerminal(old))
        {
            Interlocked.CompareExchange(ref stats.State, (int)state, old);
        }
    }
}
