using System.Text;
using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>
/// A task's console output turned into records of its logger (<see cref="FlowRunOptions.CaptureConsole"/>),
/// line by line: a line written to <see cref="Console.Out"/> is an Information record, one written to
/// <see cref="Console.Error"/> a Warning. The console writers (<see cref="Workers.MarkingWriter"/>) ask
/// <see cref="Current"/> whose output they are given; output of code that is no task's is untouched.
/// </summary>
internal sealed class ConsoleCapture(ILogger logger)
{
    /// <summary>The event of a line a task wrote to standard output.</summary>
    public static readonly EventId OutLine = new(1, "ConsoleOut");

    /// <summary>The event of a line a task wrote to standard error.</summary>
    public static readonly EventId ErrorLine = new(2, "ConsoleError");

    /// <summary>The task whose console output is captured in this execution context (it flows into the task's awaits and the work it starts).</summary>
    private static readonly AsyncLocal<ConsoleCapture?> s_current = new();

    private readonly object _gate = new();
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    /// <summary>The capture of the task whose code writes now, or null.</summary>
    public static ConsoleCapture? Current => s_current.Value;

    /// <summary>From here, console output in this execution context is <paramref name="capture"/>'s; returns what to give <see cref="Leave"/>.</summary>
    public static ConsoleCapture? Enter(ConsoleCapture capture)
    {
        var previous = s_current.Value;
        s_current.Value = capture;
        return previous;
    }

    /// <summary>Ends what <see cref="Enter"/> began on this thread (the task's awaits keep their capture).</summary>
    public static void Leave(ConsoleCapture? previous) => s_current.Value = previous;

    /// <summary>Takes text written to the console; each complete line becomes a record.</summary>
    public void Write(ReadOnlySpan<char> text, bool isError)
    {
        lock (_gate)
        {
            var line = isError ? _error : _out;
            while (!text.IsEmpty)
            {
                var newline = text.IndexOf('\n');
                if (newline < 0)
                {
                    line.Append(text);
                    return;
                }

                line.Append(text[..newline]);
                Emit(line, isError);
                text = text[(newline + 1)..];
            }
        }
    }

    /// <summary>Writes what is left of unfinished lines (the task ended without a last newline).</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_out.Length > 0)
            {
                Emit(_out, isError: false);
            }

            if (_error.Length > 0)
            {
                Emit(_error, isError: true);
            }
        }
    }

    private void Emit(StringBuilder line, bool isError)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line.Length--;
        }

        var text = line.ToString();
        line.Clear();
        var level = isError ? LogLevel.Warning : LogLevel.Information;
        if (logger.IsEnabled(level))
        {
            logger.Log(level, isError ? ErrorLine : OutLine, new ConsoleLineState(text), null, ConsoleLineState.Format);
        }
    }
}

/// <summary>A captured console line as a record's state: <c>{Line}</c>, the line itself.</summary>
internal sealed class ConsoleLineState(string line) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<ConsoleLineState, Exception?, string> Format = static (state, _) => state.Line;

    public string Line => line;

    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Line", line),
        1 => new("{OriginalFormat}", "{Line}"),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => line;
}
