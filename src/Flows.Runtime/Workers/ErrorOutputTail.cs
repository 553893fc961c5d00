using System.Text;

namespace Flows.Workers;

/// <summary>
/// The last few kilobytes of a child process's error output, and how its exit reads: what a crash
/// report quotes for a worker process and for a cluster worker alike.
/// </summary>
internal sealed class ErrorOutputTail
{
    private const int Chars = 4096;
    private readonly StringBuilder _tail = new();

    /// <summary>Keeps <paramref name="line"/>, dropping the oldest text past the limit.</summary>
    public void Append(string line)
    {
        lock (_tail)
        {
            _tail.AppendLine(line);
            if (_tail.Length > Chars)
            {
                _tail.Remove(0, _tail.Length - Chars);
            }
        }
    }

    /// <summary>The text kept, trimmed; empty when there was none.</summary>
    public string Text
    {
        get
        {
            lock (_tail)
            {
                return _tail.ToString().Trim();
            }
        }
    }

    /// <summary>The text kept, or <c>(none)</c>.</summary>
    public string TextOrNone => Text is { Length: > 0 } text ? text : "(none)";

    /// <summary>Why a process ended (its exit code, or the signal that killed it), then this error output.</summary>
    /// <param name="exitCode">The exit code; null when the process is still running but stopped answering.</param>
    public string DescribeExit(int? exitCode)
    {
        var how = exitCode switch
        {
            null => "it stopped answering",
            >= 128 and < 160 => $"it was killed by signal {exitCode - 128}{SignalName(exitCode.Value - 128)} (exit code {exitCode})",
            _ => $"it exited with code {exitCode}",
        };
        var stderr = Text;
        return stderr.Length == 0 ? how : $"{how}; its last error output: {stderr}";
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT: abort, e.g. Environment.FailFast or a stack overflow)",
        9 => " (SIGKILL: killed, e.g. by kill -9 or the out-of-memory killer)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };
}
