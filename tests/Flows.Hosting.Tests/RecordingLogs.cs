using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Flows.Hosting.Tests;

/// <summary>A logger provider that keeps every record and lets a test await one.</summary>
public sealed class RecordingLogs : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly List<(string Category, LogLevel Level, string Message)> _records = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = new();

    public IReadOnlyList<(string Category, LogLevel Level, string Message)> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>The number of records whose message contains <paramref name="text"/>.</summary>
    public int Count(string text) => Records.Count(r => r.Message.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits for the <paramref name="nth"/> record (1 for the first) whose message contains <paramref name="text"/>.</summary>
    public Task<string> WaitForAsync(string text, int nth = 1) =>
        WaitForAsync(m => m.Contains(text, StringComparison.Ordinal), $"\"{text}\"", nth);

    /// <summary>Waits for the <paramref name="nth"/> record (1 for the first) whose message matches.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> matches, string text, int nth = 1)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var count = 0;
        bool Match(string message) => matches(message) && ++count >= nth;
        lock (_gate)
        {
            foreach (var record in _records)
            {
                if (Match(record.Message))
                {
                    return record.Message;
                }
            }

            _waiters.Add((Match, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(Patience.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No log record #{nth} with {text} within {Patience.Timeout}. Records:\n" + string.Join("\n", Records.Select(r => r.Message)));
        }
    }

    private void Add(string category, LogLevel level, string message)
    {
        lock (_gate)
        {
            _records.Add((category, level, message));
            foreach (var waiter in _waiters.ToArray())
            {
                if (waiter.Match(message))
                {
                    _waiters.Remove(waiter);
                    waiter.Seen.TrySetResult(message);
                }
            }
        }
    }

    private sealed class Logger(RecordingLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(category, logLevel, formatter(state, exception));
    }
}
