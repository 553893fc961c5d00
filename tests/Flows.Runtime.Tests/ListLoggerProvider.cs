using Microsoft.Extensions.Logging;

namespace Flows.Runtime.Tests;

/// <summary>Collects log lines in memory for assertions.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<LogLine> _lines = new();
    private readonly List<(Func<LogLine, bool> Match, TaskCompletionSource<LogLine> Seen)> _waiters = new();

    public IReadOnlyList<LogLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    /// <summary>The first line (already written or still to come) that <paramref name="match"/> accepts; TimeoutException past <paramref name="patience"/>.</summary>
    public Task<LogLine> WaitForAsync(Func<LogLine, bool> match, TimeSpan patience)
    {
        var seen = new TaskCompletionSource<LogLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return Task.FromResult(line);
            }

            _waiters.Add((match, seen));
        }

        return seen.Task.WaitAsync(patience);
    }

    public void Dispose()
    {
    }

    internal sealed record LogLine(LogLevel Level, string Message, Exception? Exception);

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new LogLine(logLevel, formatter(state, exception), exception);
            lock (owner._lines)
            {
                owner._lines.Add(line);
                owner._waiters.RemoveAll(waiter => waiter.Match(line) && waiter.Seen.TrySetResult(line));
            }
        }
    }
}
