using System.Buffers;
using Flows.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flows.Runtime.Tests.Logging;

/// <summary>The bytes of a task's log record between a worker and the flow process, and what the flow process does with bytes that are not one.</summary>
public sealed class LogRecordCodecTests
{
    [Fact]
    public void A_record_keeps_its_level_event_message_template_arguments_and_exception()
    {
        var bytes = Write(LogLevel.Error, new EventId(3, "Parse"), "Row {Row} of {File} failed", 12, "a.csv", new FormatException("bad cell"));

        var record = Read(bytes);

        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal(new EventId(3, "Parse"), record.EventId);
        Assert.Equal("Row 12 of a.csv failed", record.State.ToString());
        Assert.Equal(
            new[] { new KeyValuePair<string, object?>("Row", 12), new("File", "a.csv"), new("{OriginalFormat}", "Row {Row} of {File} failed") },
            record.State);
        Assert.Equal(typeof(FormatException).FullName, record.Exception!.RemoteType);
        Assert.Equal("bad cell", record.Exception.Message);
        Assert.Contains(typeof(SystemException).FullName!, record.Exception.RemoteTypeChain);
    }

    [Fact]
    public void A_state_that_is_not_name_value_pairs_keeps_its_message_only()
    {
        var buffer = new ArrayBufferWriter<byte>();
        LogRecordCodec.Write(buffer, LogLevel.Information, default, 42, null, static (s, _) => "answer " + s);

        var record = Read(buffer.WrittenSpan.ToArray());

        Assert.Equal("answer 42", record.State.ToString());
        Assert.Empty(record.State);
        Assert.Null(record.Exception);
    }

    [Fact]
    public void Bytes_that_are_not_a_record_are_reported_naming_the_flow_task_attempt_and_worker_and_dropped()
    {
        using var provider = new ListLoggerProvider();
        var runLogger = provider.CreateLogger("Flows.FlowRun");
        var logger = new TaskLogger(NullLogger.Instance, new TaskLogScope("Etl", "Parse[1]", 2, "run-7"));
        var good = Write(LogLevel.Information, default, "fine");

        logger.Relay([1, 9, 9, 9], framed: false, runLogger, "worker process 42");
        logger.Relay(good.AsSpan(0, good.Length - 1), framed: false, runLogger, "worker process 42");
        logger.Relay([200, 0, 0, 0, 1], framed: true, runLogger, "cluster worker w1");

        Assert.Equal(3, provider.Lines.Count);
        Assert.All(provider.Lines, line => Assert.Equal(LogLevel.Error, line.Level));
        Assert.StartsWith("Flow Etl: task Parse[1] attempt 2: worker process 42 sent log records that cannot be read (", provider.Lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("level is 9", provider.Lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("cluster worker w1", provider.Lines[2].Message, StringComparison.Ordinal);
        Assert.Contains("length prefix", provider.Lines[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Framed_records_are_written_in_their_order_in_the_attempts_scope()
    {
        var framed = new ArrayBufferWriter<byte>();
        LogRecordCodec.AppendFramed(framed, Write(LogLevel.Information, default, "first {N}", 1));
        LogRecordCodec.AppendFramed(framed, Write(LogLevel.Warning, default, "second {N}", 2));
        var inner = new ScopeKeepingLogger();
        var logger = new TaskLogger(inner, new TaskLogScope("Etl", "Parse[1]", 2, "run-7"));

        logger.Relay(framed.WrittenSpan, framed: true, runLogger: null, "cluster worker w1");

        Assert.Equal(new[] { "first 1", "second 2" }, inner.Messages);
        Assert.All(inner.Scopes, scope => Assert.Equal("Flow Etl, task Parse[1], attempt 2, run run-7", scope));
    }

    [Fact]
    public void The_level_mask_holds_exactly_the_enabled_levels()
    {
        var mask = LogLevelMask.EnabledLevels(new ScopeKeepingLogger { MinLevel = LogLevel.Warning });

        Assert.False(LogLevelMask.IsEnabled(mask, LogLevel.Information));
        Assert.True(LogLevelMask.IsEnabled(mask, LogLevel.Warning));
        Assert.True(LogLevelMask.IsEnabled(mask, LogLevel.Critical));
        Assert.False(LogLevelMask.IsEnabled(mask, LogLevel.None));
        Assert.Equal(0, mask & LogLevelMask.CaptureConsole);
    }

    private static byte[] Write(LogLevel level, EventId eventId, string template, params object?[] arguments) =>
        WriteWithException(level, eventId, template, null, arguments);

    private static byte[] Write(LogLevel level, EventId eventId, string template, object? first, object? second, Exception exception) =>
        WriteWithException(level, eventId, template, exception, [first, second]);

    private static byte[] WriteWithException(LogLevel level, EventId eventId, string template, Exception? exception, object?[] arguments)
    {
        var recorder = new StateRecorder();
        recorder.Log(level, eventId, exception, template, arguments);
        return recorder.Bytes!;
    }

    private static ForwardedLogRecord Read(byte[] bytes)
    {
        var reader = new Flows.Serialization.FlowReader(bytes);
        return LogRecordCodec.Read(ref reader);
    }

    /// <summary>Writes what the logging extensions hand a logger (their own state type) as a record.</summary>
    private sealed class StateRecorder : ILogger
    {
        public byte[]? Bytes { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var buffer = new ArrayBufferWriter<byte>();
            LogRecordCodec.Write(buffer, logLevel, eventId, state, exception, formatter);
            Bytes = buffer.WrittenSpan.ToArray();
        }
    }

    private sealed class ScopeKeepingLogger : ILogger
    {
        private object? _scope;

        public LogLevel MinLevel { get; init; }

        public List<string> Messages { get; } = new();

        public List<string?> Scopes { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            _scope = state;
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= MinLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Messages.Add(formatter(state, exception));
            Scopes.Add(_scope?.ToString());
        }
    }
}
