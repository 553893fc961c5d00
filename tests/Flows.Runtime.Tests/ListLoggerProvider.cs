using Microsoft.Extensions.Logging;

namespace Flows.Runtime.Tests;

/// <summary>Collects log lines in memory for assertions.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<LogLine> _lines = new();

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
            lock (owner._lines)
            {
                owner._lines.Add(new LogLine(logLevel, formatter(state, exception), exception));
            }
        }
    }
}
