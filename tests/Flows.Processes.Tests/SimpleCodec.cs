using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Flows.Graph;

namespace Flows.Processes.Tests;

/// <summary>
/// A hand-written codec for the few types these tests pass (int, int[], string), standing in for
/// the generated ones so that the process executor is tested on its own.
/// </summary>
internal sealed class SimpleCodec(params Type[] parameterTypes) : ITaskCodec
{
    public void WriteArguments(in TaskArguments arguments, IBufferWriter<byte> output)
    {
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

        return TaskArguments.FromValues(values);
    }

    public void WriteResult(object? result, IBufferWriter<byte> output) => Write(result, output);

    public object? ReadResult(ReadOnlySpan<byte> input) => Read(ref input);

    private static void Write(object? value, IBufferWriter<byte> output)
    {
        switch (value)
        {
            case null:
                output.GetSpan(1)[0] = 0;
                output.Advance(1);
                break;
            case int i:
                var span = output.GetSpan(5);
                span[0] = 1;
                BinaryPrimitives.WriteInt32LittleEndian(span[1..], i);
                output.Advance(5);
                break;
            case int[] a:
                var head = output.GetSpan(5);
                head[0] = 2;
                BinaryPrimitives.WriteInt32LittleEndian(head[1..], a.Length);
                output.Advance(5);
                foreach (var x in a)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), x);
                    output.Advance(4);
                }

                break;
            case string s:
                var bytes = Encoding.UTF8.GetBytes(s);
                var h = output.GetSpan(5);
                h[0] = 3;
                BinaryPrimitives.WriteInt32LittleEndian(h[1..], bytes.Length);
                output.Advance(5);
                bytes.CopyTo(output.GetSpan(bytes.Length));
                output.Advance(bytes.Length);
                break;
            default:
                throw new FlowSerializationException($"SimpleCodec cannot write {value.GetType()}");
        }
    }

    private static object? Read(ref ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            throw new FlowSerializationException("truncated");
        }

        var tag = input[0];
        input = input[1..];
        switch (tag)
        {
            case 0:
                return null;
            case 1:
                var i = BinaryPrimitives.ReadInt32LittleEndian(input);
                input = input[4..];
                return i;
            case 2:
                var n = BinaryPrimitives.ReadInt32LittleEndian(input);
                input = input[4..];
                var a = new int[n];
                for (var k = 0; k < n; k++)
                {
                    a[k] = BinaryPrimitives.ReadInt32LittleEndian(input);
                    input = input[4..];
                }

                return a;
            case 3:
                var len = BinaryPrimitives.ReadInt32LittleEndian(input);
                input = input[4..];
                var s = Encoding.UTF8.GetString(input[..len]);
                input = input[len..];
                return s;
            default:
                throw new FlowSerializationException($"unknown tag {tag}");
        }
    }
}
