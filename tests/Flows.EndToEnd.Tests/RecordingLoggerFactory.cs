using Microsoft.Extensions.Logging;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// A logger factory that keeps every record it is given, with its category, template, arguments and
/// the scopes it was written in, for assertions. Levels below <see cref="MinLevel"/> are disabled.
/// </summary>
internal sealed class RecordingLoggerFactory(LogLevel minLevel = LogLevel.Trace) : ILoggerFactory
{
    private readonly List<Record> _records = new();
    private readonly AsyncLocal<Scope?> _scope = new();

    public LogLevel MinLevel => minLevel;

    public IReadOnlyList<Record> Records
    {
        get
        {
            lock (_records)
            {
                return _records.ToArray();
            }
        }
    }

    /// <summary>The records of <paramref name="category"/>, in the order they were written.</summary>
    public IReadOnlyList<Record> Of(string category) => Records.Where(r => r.Category == category).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    internal sealed record Record(
        string Category,
        LogLevel Level,
        EventId EventId,
        string Message,
        string? Template,
        IReadOnlyDictionary<string, object?> Arguments,
        Exception? Exception,
        IReadOnlyDictionary<string, object?> Scope,
        string? ScopeText);

    private sealed record Scope(object State, Scope? Parent);

    private sealed class Logger(RecordingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            var parent = owner._scope.Value;
            owner._scope.Value = new Scope(state, parent);
            return new Pop(owner, parent);
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner.MinLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var arguments = new Dictionary<string, object?>();
            string? template = null;
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "{OriginalFormat}")
                    {
                        template = value as string;
                    }
                    else
                    {
                        arguments[key] = value;
                    }
                }
            }

            var scope = new Dictionary<string, object?>();
            string? scopeText = null;
            for (var s = owner._scope.Value; s is not null; s = s.Parent)
            {
                if (s.State is IReadOnlyList<KeyValuePair<string, object?>> pairs && pairs.Any(p => p.Key == "RunId"))
                {
                    foreach (var (key, value) in pairs)
                    {
                        scope[key] = value;
                    }

                    scopeText = s.State.ToString();
                }
            }

            lock (owner._records)
            {
                owner._records.Add(new Record(category, logLevel, eventId, formatter(state, exception), template, arguments, exception, scope, scopeText));
            }
        }
    }

    private sealed class Pop(RecordingLoggerFactory owner, Scope? parent) : IDisposable
    {
        public void Dispose() => owner._scope.Value = parent;
    }
}
