using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>Where a worker's <see cref="RemoteTaskLogger"/> puts each record's bytes, for the flow process.</summary>
internal interface ILogRecordSink
{
    /// <summary>Takes one record (<see cref="LogRecordCodec"/>); called from any thread the task logs on.</summary>
    void Accept(ReadOnlySpan<byte> record);
}

/// <summary>
/// A task's logger in a worker (a process worker or a cluster worker): each record of a level the flow
/// process enabled (<see cref="LogLevelMask"/>) is written as bytes and handed to a sink, which sends it
/// to the flow process; a record of another level costs a bit test and goes nowhere.
/// </summary>
internal sealed class RemoteTaskLogger(byte mask, ILogRecordSink sink) : ILogger
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Whether console output is to be captured as records.</summary>
    public bool CapturesConsole => (mask & LogLevelMask.CaptureConsole) != 0;

    /// <summary>Scopes a task opens are not sent: every record is in the attempt's scope in the flow process.</summary>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => LogLevelMask.IsEnabled(mask, logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!LogLevelMask.IsEnabled(mask, logLevel))
        {
            return;
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        LogRecordCodec.Write(buffer, logLevel, eventId, state, exception, formatter);
        sink.Accept(buffer.WrittenSpan);
    }
}
