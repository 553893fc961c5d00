using System.Globalization;

namespace Flows.Console;

/// <summary>The words and numbers of the display, the same in the live display, the plain lines and the final table.</summary>
internal static class ProgressText
{
    private const int MaxMessageLength = 300;

    /// <summary>A state as a lowercase word: "succeeded", "timed out", ...</summary>
    public static string State(TaskState state) => state switch
    {
        TaskState.Pending => "pending",
        TaskState.Running => "running",
        TaskState.Retrying => "retrying",
        TaskState.Succeeded => "succeeded",
        TaskState.Failed => "failed",
        TaskState.Skipped => "skipped",
        TaskState.Cancelled => "cancelled",
        TaskState.TimedOut => "timed out",
        TaskState.Crashed => "crashed",
        TaskState.Cached => "cached",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>A run's state as a lowercase word.</summary>
    public static string State(FlowState state) => state switch
    {
        FlowState.Running => "running",
        FlowState.Succeeded => "succeeded",
        FlowState.Failed => "failed",
        FlowState.Cancelled => "cancelled",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Whether a final state is a failure: failed, timed out or crashed.</summary>
    public static bool IsFailure(TaskState state) => state is TaskState.Failed or TaskState.TimedOut or TaskState.Crashed;

    /// <summary>Whether a state is final.</summary>
    public static bool IsFinal(TaskState state) => state is not (TaskState.Pending or TaskState.Running or TaskState.Retrying);

    /// <summary>A duration for people: "840 ms", "3.2 s", "2m 05s", "1h 02m".</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        var culture = CultureInfo.InvariantCulture;
        if (duration.TotalSeconds < 1)
        {
            return ((int)duration.TotalMilliseconds).ToString(culture) + " ms";
        }

        if (duration.TotalSeconds < 60)
        {
            return duration.TotalSeconds.ToString("0.0", culture) + " s";
        }

        return duration.TotalHours < 1
            ? string.Create(culture, $"{(int)duration.TotalMinutes}m {duration.Seconds:00}s")
            : string.Create(culture, $"{(int)duration.TotalHours}h {duration.Minutes:00}m");
    }

    /// <summary>Elapsed time as a clock: "00:03.2", "12:45.0", "1:02:03".</summary>
    public static string Clock(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero)
        {
            elapsed = TimeSpan.Zero;
        }

        var culture = CultureInfo.InvariantCulture;
        return elapsed.TotalHours < 1
            ? string.Create(culture, $"{elapsed.Minutes:00}:{elapsed.Seconds:00}.{elapsed.Milliseconds / 100}")
            : string.Create(culture, $"{(int)elapsed.TotalHours}:{elapsed.Minutes:00}:{elapsed.Seconds:00}");
    }

    /// <summary>A count with thousands separators: "10,000".</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"1 attempt", "3 attempts".</summary>
    public static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : Count(attempts) + " attempts";

    /// <summary>
    /// What a task threw, on one line: the thrown type's own name (the original one when it ran in another
    /// process) and its message, cut to a few hundred characters.
    /// </summary>
    public static string Error(Exception error)
    {
        var type = error is RemoteTaskException remote ? remote.RemoteType : error.GetType().FullName ?? error.GetType().Name;
        type = type[(type.LastIndexOfAny(['.', '+']) + 1)..];
        var message = error.Message.ReplaceLineEndings(" ").Trim();
        if (message.Length > MaxMessageLength)
        {
            message = string.Concat(message.AsSpan(0, MaxMessageLength), "...");
        }

        return message.Length == 0 ? type : type + ": " + message;
    }
}
