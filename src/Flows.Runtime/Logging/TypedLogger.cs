using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>
/// What an <c>ILogger&lt;T&gt;</c> task parameter is bound to: the attempt's logger under the type
/// <c>ILogger&lt;T&gt;</c> asks for (its category, <c>T</c>'s name, is the attempt logger's already).
/// </summary>
internal sealed class TypedLogger<T>(ILogger inner) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        inner.Log(logLevel, eventId, state, exception, formatter);
}
