using System.Text;

namespace Flows.Workers;

/// <summary>
/// A console writer that starts each line written during a task's code with the task's marker
/// (<see cref="TaskOutput"/>), and passes everything else through unchanged. Writes are serialized,
/// as the console's own writer does. Output of a task whose console is captured
/// (<see cref="Logging.ConsoleCapture"/>) becomes its records instead, in a worker and in the flow process alike.
/// </summary>
internal sealed class MarkingWriter(TextWriter inner, bool isError = false) : TextWriter
{
    private readonly object _gate = new();
    private bool _atLineStart = true;

    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value)
    {
        lock (_gate)
        {
            WriteMarked([value]);
        }
    }

    public override void Write(string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            lock (_gate)
            {
                WriteMarked(value);
            }
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            WriteMarked(buffer.AsSpan(index, count));
        }
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            WriteMarked(buffer);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            WriteMarked(value);
            WriteMarked(CoreNewLine);
        }
    }

    public override void WriteLine()
    {
        lock (_gate)
        {
            WriteMarked(CoreNewLine);
        }
    }

    public override void Flush() => inner.Flush();

    private void WriteMarked(ReadOnlySpan<char> text)
    {
        if (Logging.ConsoleCapture.Current is { } capture)
        {
            capture.Write(text, isError);
            return;
        }

        while (!text.IsEmpty)
        {
            if (_atLineStart && TaskOutput.Current is { } task)
            {
                inner.Write(TaskOutput.Marker);
                inner.Write(task);
                inner.Write("] ");
            }

            var newline = text.IndexOf('\n');
            if (newline < 0)
            {
                inner.Write(text);
                _atLineStart = false;
                return;
            }

            inner.Write(text[..(newline + 1)]);
            _atLineStart = true;
            text = text[(newline + 1)..];
        }
    }
}
