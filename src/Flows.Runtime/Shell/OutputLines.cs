using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>
/// One output stream of a running command, read as it comes: every chunk goes to an <see cref="OutputTail"/>, every
/// line (up to <see cref="ShellOptions.MaxLoggedLines"/>) to the task's logger as one record. A line longer than
/// <see cref="MaxLineChars"/> is logged in pieces, so that a stream without newlines cannot grow one line without end.
/// </summary>
internal sealed class OutputLines
{
    /// <summary>The longest line logged as one record.</summary>
    internal const int MaxLineChars = 16 * 1024;

    /// <summary>The most bytes read from the pipe at once.</summary>
    private const int ReadSize = 16 * 1024;

    private static readonly Action<ILogger, string, Exception?> s_output =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(1, "ShellOutput"), "{Line}");

    private static readonly Action<ILogger, string, Exception?> s_error =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(2, "ShellError"), "{Line}");

    private static readonly Action<ILogger, int, string, Exception?> s_notLogged =
        LoggerMessage.Define<int, string>(LogLevel.Warning, new EventId(3, "ShellLinesNotLogged"),
            "{Count} more lines of {Stream} were not logged (ShellOptions.MaxLoggedLines); the result keeps the last ones");

    private readonly ILogger _log;
    private readonly bool _isError;
    private readonly int _maxLoggedLines;
    private readonly bool _logs;
    private readonly StringBuilder _line = new();
    private int _logged;
    private int _notLogged;

    public OutputLines(ILogger log, bool isError, ShellOptions options)
    {
        _log = log;
        _isError = isError;
        _maxLoggedLines = options.MaxLoggedLines;
        _logs = log.IsEnabled(isError ? LogLevel.Warning : LogLevel.Information);
        Tail = new OutputTail(options.MaxOutputChars);
    }

    public OutputTail Tail { get; }

    /// <summary>Reads <paramref name="stream"/> to its end (CliWrap calls it with the process's pipe), as UTF-8.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Pooled buffers: a short command (most of them) then allocates almost nothing for its output.
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = ArrayPool<byte>.Shared.Rent(ReadSize);
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(ReadSize));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(bytes.AsMemory(0, ReadSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
                Take(chars.AsSpan(0, count));
            }

            Take(chars.AsSpan(0, decoder.GetChars(bytes, 0, 0, chars, 0, flush: true)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }

        End();
    }

    /// <summary>Takes a chunk of the stream.</summary>
    internal void Take(ReadOnlySpan<char> chunk)
    {
        Tail.Append(chunk);
        if (!_logs)
        {
            return;
        }

        while (chunk.Length > 0)
        {
            var newline = chunk.IndexOf('\n');
            var piece = newline < 0 ? chunk : chunk[..newline];
            var room = MaxLineChars - _line.Length;
            if (piece.Length > room)
            {
                _line.Append(piece[..room]);
                Flush();
                chunk = chunk[room..];
                continue;
            }

            _line.Append(piece);
            if (newline < 0)
            {
                return;
            }

            Flush();
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>The stream ended: logs its last line (one without a newline) and what was not logged.</summary>
    internal void End()
    {
        if (!_logs)
        {
            return;
        }

        if (_line.Length > 0)
        {
            Flush();
        }

        if (_notLogged > 0)
        {
            s_notLogged(_log, _notLogged, _isError ? "standard error" : "standard output", null);
        }
    }

    private void Flush()
    {
        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        if (_logged < _maxLoggedLines)
        {
            _logged++;
            (_isError ? s_error : s_output)(_log, _line.ToString(), null);
        }
        else
        {
            _notLogged++;
        }

        _line.Clear();
    }
}
