using System.Buffers;
using System.Collections;
using System.Globalization;
using Flows.Serialization;
using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>
/// The bytes of one log record written by a task in a worker (a process worker or a cluster worker),
/// and their reading in the flow process. A record keeps its level, event id, formatted message,
/// message template (<c>{OriginalFormat}</c>), its arguments by name and its exception (as the original's
/// type chain, message and details, never the object). An argument of a primitive type (string, bool,
/// integers, floating point, decimal, DateTime, DateTimeOffset, TimeSpan, Guid, char) keeps its type;
/// an enum becomes its name, a sequence its elements joined by ", ", anything else its invariant string.
/// </summary>
internal static class LogRecordCodec
{
    private const string What = "a log record";

    private enum Tag : byte
    {
        Null = 0,
        String = 1,
        Boolean = 2,
        SByte = 3,
        Byte = 4,
        Int16 = 5,
        UInt16 = 6,
        Int32 = 7,
        UInt32 = 8,
        Int64 = 9,
        UInt64 = 10,
        Single = 11,
        Double = 12,
        Decimal = 13,
        DateTime = 14,
        DateTimeOffset = 15,
        TimeSpan = 16,
        Guid = 17,
        Char = 18,
    }

    /// <summary>Writes one record of a task's logger.</summary>
    public static void Write<TState>(IBufferWriter<byte> output, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var w = new FlowWriter(output);
        w.WriteByte((byte)level);
        w.WriteInt32(eventId.Id);
        w.WriteString(eventId.Name);
        w.WriteString(formatter(state, exception) ?? string.Empty);
        string? template = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            var count = 0;
            foreach (var pair in values)
            {
                if (pair.Key == "{OriginalFormat}")
                {
                    template = pair.Value as string;
                }
                else
                {
                    count++;
                }
            }

            w.WriteString(template);
            w.WriteLength(count);
            foreach (var pair in values)
            {
                if (pair.Key != "{OriginalFormat}")
                {
                    w.WriteString(pair.Key ?? string.Empty);
                    WriteValue(ref w, pair.Value);
                }
            }
        }
        else
        {
            w.WriteString(null);
            w.WriteLength(0);
        }

        if (exception is null)
        {
            w.WriteBoolean(false);
        }
        else
        {
            w.WriteBoolean(true);
            var chain = ExceptionNames.TypeChain(exception);
            w.WriteLength(chain.Count);
            foreach (var name in chain)
            {
                w.WriteString(name);
            }

            w.WriteString(exception.Message);
            w.WriteString(exception is RemoteTaskException remote ? remote.RemoteDetails : exception.ToString());
        }

        w.Flush();
    }

    /// <summary>Appends <paramref name="record"/> after its length, so that records kept together can be told apart.</summary>
    public static void AppendFramed(IBufferWriter<byte> output, ReadOnlySpan<byte> record)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), record.Length);
        output.Advance(4);
        output.Write(record);
    }

    /// <summary>Takes the next record that <see cref="AppendFramed"/> wrote off the front of <paramref name="records"/>.</summary>
    /// <exception cref="FlowSerializationException">The length is missing or larger than what is left.</exception>
    public static ReadOnlySpan<byte> NextFramed(ref ReadOnlySpan<byte> records)
    {
        if (records.Length < 4 || System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(records) is var length && (length < 0 || length > records.Length - 4))
        {
            throw new FlowSerializationException($"Cannot read {What}: its length prefix is missing or claims more than the {Math.Max(records.Length - 4, 0)} bytes that follow.");
        }

        var record = records.Slice(4, length);
        records = records[(4 + length)..];
        return record;
    }

    /// <summary>Reads one record (all of <paramref name="reader"/>'s bytes).</summary>
    /// <exception cref="FlowSerializationException">The bytes are not a record.</exception>
    public static ForwardedLogRecord Read(ref FlowReader reader)
    {
        var level = (LogLevel)reader.ReadByte();
        if (level is < LogLevel.Trace or > LogLevel.Critical)
        {
            throw reader.Error(What, $"its level is {(int)level}, not one of Trace (0) to Critical (5)");
        }

        var eventId = new EventId(reader.ReadInt32(), reader.ReadString());
        var message = reader.ReadString() ?? throw reader.Error(What, "it has no message");
        var template = reader.ReadString();
        var count = reader.ReadLength(2, What);
        var arguments = new KeyValuePair<string, object?>[Math.Max(count, 0) + (template is null ? 0 : 1)];
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString() ?? throw reader.Error(What, $"argument {i} has no name");
            arguments[i] = new(name, ReadValue(ref reader));
        }

        if (template is not null)
        {
            arguments[^1] = new("{OriginalFormat}", template);
        }

        RemoteTaskException? exception = null;
        if (reader.ReadBoolean())
        {
            var links = reader.ReadLength(1, What);
            if (links < 1)
            {
                throw reader.Error(What, "its exception has no type");
            }

            var chain = new string[links];
            for (var i = 0; i < links; i++)
            {
                chain[i] = reader.ReadString() is { Length: > 0 } name ? name : throw reader.Error(What, "its exception's type chain has an empty name");
            }

            var exceptionMessage = reader.ReadString() ?? throw reader.Error(What, "its exception has no message");
            var details = reader.ReadString() ?? throw reader.Error(What, "its exception has no details");
            exception = new RemoteTaskException(chain[0], exceptionMessage, details, chain);
        }

        return new ForwardedLogRecord(level, eventId, new ForwardedLogState(message, arguments), exception);
    }

    private static void WriteValue(ref FlowWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteByte((byte)Tag.Null);
                break;
            case string s:
                w.WriteByte((byte)Tag.String);
                w.WriteString(s);
                break;
            case bool b:
                w.WriteByte((byte)Tag.Boolean);
                w.WriteBoolean(b);
                break;
            case Enum e:
                // The enum's type cannot be made again in the flow process without reflection: its name is what a reader sees anyway.
                w.WriteByte((byte)Tag.String);
                w.WriteString(e.ToString());
                break;
            case sbyte v:
                w.WriteByte((byte)Tag.SByte);
                w.WriteSByte(v);
                break;
            case byte v:
                w.WriteByte((byte)Tag.Byte);
                w.WriteByte(v);
                break;
            case short v:
                w.WriteByte((byte)Tag.Int16);
                w.WriteInt16(v);
                break;
            case ushort v:
                w.WriteByte((byte)Tag.UInt16);
                w.WriteUInt16(v);
                break;
            case int v:
                w.WriteByte((byte)Tag.Int32);
                w.WriteInt32(v);
                break;
            case uint v:
                w.WriteByte((byte)Tag.UInt32);
                w.WriteUInt32(v);
                break;
            case long v:
                w.WriteByte((byte)Tag.Int64);
                w.WriteInt64(v);
                break;
            case ulong v:
                w.WriteByte((byte)Tag.UInt64);
                w.WriteUInt64(v);
                break;
            case float v:
                w.WriteByte((byte)Tag.Single);
                w.WriteSingle(v);
                break;
            case double v:
                w.WriteByte((byte)Tag.Double);
                w.WriteDouble(v);
                break;
            case decimal v:
                w.WriteByte((byte)Tag.Decimal);
                w.WriteDecimal(v);
                break;
            case DateTime v:
                w.WriteByte((byte)Tag.DateTime);
                w.WriteDateTime(v);
                break;
            case DateTimeOffset v:
                w.WriteByte((byte)Tag.DateTimeOffset);
                w.WriteDateTimeOffset(v);
                break;
            case TimeSpan v:
                w.WriteByte((byte)Tag.TimeSpan);
                w.WriteTimeSpan(v);
                break;
            case Guid v:
                w.WriteByte((byte)Tag.Guid);
                w.WriteGuid(v);
                break;
            case char v:
                w.WriteByte((byte)Tag.Char);
                w.WriteChar(v);
                break;
            default:
                w.WriteByte((byte)Tag.String);
                w.WriteString(Text(value));
                break;
        }
    }

    /// <summary>A value of another type as the message formatter would print it, with the invariant culture.</summary>
    private static string Text(object value)
    {
        if (value is IEnumerable sequence and not IFormattable)
        {
            var items = new List<string>();
            foreach (var item in sequence)
            {
                items.Add(item is null ? "(null)" : Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty);
            }

            return string.Join(", ", items);
        }

        return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
    }

    private static object? ReadValue(ref FlowReader reader)
    {
        var tag = (Tag)reader.ReadByte();
        return tag switch
        {
            Tag.Null => null,
            Tag.String => reader.ReadString(),
            Tag.Boolean => reader.ReadBoolean(),
            Tag.SByte => reader.ReadSByte(),
            Tag.Byte => reader.ReadByte(),
            Tag.Int16 => reader.ReadInt16(),
            Tag.UInt16 => reader.ReadUInt16(),
            Tag.Int32 => reader.ReadInt32(),
            Tag.UInt32 => reader.ReadUInt32(),
            Tag.Int64 => reader.ReadInt64(),
            Tag.UInt64 => reader.ReadUInt64(),
            Tag.Single => reader.ReadSingle(),
            Tag.Double => reader.ReadDouble(),
            Tag.Decimal => reader.ReadDecimal(),
            Tag.DateTime => reader.ReadDateTime(),
            Tag.DateTimeOffset => reader.ReadDateTimeOffset(),
            Tag.TimeSpan => reader.ReadTimeSpan(),
            Tag.Guid => reader.ReadGuid(),
            Tag.Char => reader.ReadChar(),
            _ => throw reader.Error(What, $"an argument has the unknown type tag {(byte)tag}"),
        };
    }
}

/// <summary>A record a task wrote in a worker, as read in the flow process.</summary>
internal readonly record struct ForwardedLogRecord(LogLevel Level, EventId EventId, ForwardedLogState State, RemoteTaskException? Exception);

/// <summary>
/// The state of a record written in a worker: its arguments by name, then <c>{OriginalFormat}</c> (the
/// template) as a structured-logging provider expects; <see cref="ToString"/> is the message as the
/// worker formatted it.
/// </summary>
internal sealed class ForwardedLogState(string message, KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly Func<ForwardedLogState, Exception?, string> Format = static (state, _) => state.Message;

    public string Message => message;

    public int Count => values.Length;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => values.GetEnumerator();

    public override string ToString() => message;
}
