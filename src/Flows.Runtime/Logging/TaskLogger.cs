using Flows.Serialization;
using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>
/// One attempt's logger in the flow process: what its task's <c>ILogger</c> parameter is bound to on
/// the in-process executors, and where records that came from a worker for it are written. Each record
/// goes to <c>FlowRunOptions.LoggerFactory</c>'s logger of the task's category, inside the attempt's
/// <see cref="TaskLogScope"/>.
/// </summary>
internal sealed class TaskLogger(ILogger inner, TaskLogScope scope) : ILogger
{
    /// <summary>The attempt's console capture when <c>FlowRunOptions.CaptureConsole</c> is on (kept here, so that an attempt holds one reference for its logging).</summary>
    public ConsoleCapture? Console { get; set; }

    public TaskLogScope Scope => scope;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        // A scope per record rather than one around the task's code: the task may log from any
        // thread, and an ambient scope would not follow it there.
        using (inner.BeginScope(scope))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    /// <summary>
    /// Writes the records a worker sent for this attempt, in their order: one record
    /// (<paramref name="framed"/> false: a process worker's frame holds one), or records each after its
    /// length (<see cref="LogRecordCodec.AppendFramed"/>: a cluster worker's outcome carries them so). Bytes
    /// that are not records are reported through <paramref name="runLogger"/> and dropped: a record lost
    /// is no reason to fail the task.
    /// </summary>
    /// <param name="records">The bytes the worker sent.</param>
    /// <param name="framed">Whether each record is preceded by its length.</param>
    /// <param name="runLogger">The run's own logger, which reports bytes that are not records.</param>
    /// <param name="source">Names the worker in the report.</param>
    public void Relay(ReadOnlySpan<byte> records, bool framed, ILogger? runLogger, string source)
    {
        try
        {
            if (!framed)
            {
                RelayOne(records);
                return;
            }

            while (!records.IsEmpty)
            {
                RelayOne(LogRecordCodec.NextFramed(ref records));
            }
        }
        catch (FlowSerializationException ex)
        {
            RunLog.MalformedTaskLog(runLogger, scope.Flow, scope.Task, scope.Attempt, source, ex.Message);
        }
    }

    private void RelayOne(ReadOnlySpan<byte> bytes)
    {
        var reader = new FlowReader(bytes);
        var record = LogRecordCodec.Read(ref reader);
        reader.EnsureEnd("a log record");
        Log(record.Level, record.EventId, record.State, record.Exception, ForwardedLogState.Format);
    }
}
