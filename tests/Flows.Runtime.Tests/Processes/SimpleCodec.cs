using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// A hand-written codec for the few types these tests pass (null, int, long, bool, string, int[],
/// string[]), standing in for the generated ones so that the process executor is tested on its own.
/// Each value is a tag byte and its bytes; arrays and strings are length-prefixed.
/// </summary>
internal sealed class SimpleCodec(params Type[] parameterTypes) : ITaskCodec
{
    private const byte NullTag = 0;
    private const byte IntTag = 1;
    private const byte IntArrayTag = 2;
    private const byte StringTag = 3;
    private const byte LongTag = 4;
    private const byte BoolTag = 5;
    private const byte StringArrayTag = 6;

    public void WriteArguments(in TaskArguments arguments, IBufferWriter<byte> output)
    {
        if (arguments.Count != parameterTypes.Length)
        {
            throw new FlowSerializationException($"SimpleCodec expects {parameterTypes.Length} arguments, got {arguments.Count}");
        }

        for (var i = 0; i < parameterTypes.Length; i++)
        {
            Write(arguments[i], output);
        }
    }

    public TaskArguments ReadArguments(ReadOnlySpan<byte> input)
    {
        var values = new object?[parameterTypes.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Read(ref input);
        }

        return input.IsEmpty ? TaskArguments.FromValues(values) : throw new FlowSerializationException($"{input.Length} bytes left after the arguments");
    }

    /// <summary>One input alone: the same tagged bytes it has inside <see cref="WriteArguments"/>.</summary>
    public void WriteArgument(int position, object? value, IBufferWriter<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, parameterTypes.Length);
        Write(value, output);
    }

    public object? ReadArgument(int position, ReadOnlySpan<byte> input)
    {
        if ((uint)position >= (uint)parameterTypes.Length)
        {
            throw new FlowSerializationException($"SimpleCodec has no input {position}: it takes {parameterTypes.Length}");
        }

        var value = Read(ref input);
        return input.IsEmpty ? value : throw new FlowSerializationException($"{input.Length} bytes left after input {position}");
    }

    public void WriteResult(object? result, IBufferWriter<byte> output) => Write(result, output);

    public object? ReadResult(ReadOnlySpan<byte> input)
    {
        var result = Read(ref input);
        return input.IsEmpty ? result : throw new FlowSerializationException($"{input.Length} bytes left after the result");
    }

    private static void Write(object? value, IBufferWriter<byte> output)
    {
        switch (value)
        {
            case null:
                WriteTag(NullTag, output);
                break;
            case int i:
                WriteTag(IntTag, output);
                WriteInt32(i, output);
                break;
            case long l:
                WriteTag(LongTag, output);
                BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), l);
                output.Advance(8);
                break;
            case bool b:
                WriteTag(BoolTag, output);
                WriteTag(b ? (byte)1 : (byte)0, output);
                break;
            case string s:
                WriteTag(StringTag, output);
                WriteString(s, output);
                break;
            case int[] a:
                WriteTag(IntArrayTag, output);
                WriteInt32(a.Length, output);
                foreach (var x in a)
                {
                    WriteInt32(x, output);
                }

                break;
            case string[] a:
                WriteTag(StringArrayTag, output);
                WriteInt32(a.Length, output);
                foreach (var x in a)
                {
                    WriteString(x, output);
                }

                break;
            default:
                throw new FlowSerializationException($"SimpleCodec cannot write {value.GetType()}");
        }
    }

    private static void WriteTag(byte tag, IBufferWriter<byte> output)
    {
        output.GetSpan(1)[0] = tag;
        output.Advance(1);
    }

    private static void WriteInt32(int value, IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteString(string s, IBufferWriter<byte> output)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        WriteInt32(bytes.Length, output);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static object? Read(ref ReadOnlySpan<byte> input)
    {
        var tag = Take(ref input, 1)[0];
        switch (tag)
        {
            case NullTag:
                return null;
            case IntTag:
                return ReadInt32(ref input);
            case LongTag:
                return BinaryPrimitives.ReadInt64LittleEndian(Take(ref input, 8));
            case BoolTag:
                return Take(ref input, 1)[0] switch
                {
                    0 => false,
                    1 => true,
                    var b => throw new FlowSerializationException($"bad bool {b}"),
                };
            case StringTag:
                return ReadString(ref input);
            case IntArrayTag:
                var n = ReadLength(ref input, 4);
                var ints = new int[n];
                for (var k = 0; k < n; k++)
                {
                    ints[k] = ReadInt32(ref input);
                }

                return ints;
            case StringArrayTag:
                var m = ReadLength(ref input, 4);
                var strings = new string[m];
                for (var k = 0; k < m; k++)
                {
                    strings[k] = ReadString(ref input);
                }

                return strings;
            default:
                throw new FlowSerializationException($"unknown tag {tag}");
        }
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> input, int length)
    {
        if (input.Length < length)
        {
            throw new FlowSerializationException("truncated");
        }

        var taken = input[..length];
        input = input[length..];
        return taken;
    }

    private static int ReadInt32(ref ReadOnlySpan<byte> input) => BinaryPrimitives.ReadInt32LittleEndian(Take(ref input, 4));

    /// <summary>A length that the rest of the input can hold (at <paramref name="minBytesEach"/> per item): never allocates what the input merely claims.</summary>
    private static int ReadLength(ref ReadOnlySpan<byte> input, int minBytesEach)
    {
        var n = ReadInt32(ref input);
        return n >= 0 && (long)n * minBytesEach <= input.Length ? n : throw new FlowSerializationException($"bad length {n}");
    }

    private static string ReadString(ref ReadOnlySpan<byte> input)
    {
        var length = ReadLength(ref input, 1);
        return Encoding.UTF8.GetString(Take(ref input, length));
    }
}
