using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Flows.Graph;

[assembly: TaskRegistry(typeof(Flows.Bench.BenchTaskRegistry))]

namespace Flows.Bench;

/// <summary>
/// Moves the benchmark tasks' values (int, long, double, int[], double[], Outcome&lt;int&gt;[]) to and from worker processes:
/// what a generated codec does for these types, with arrays of numbers as block copies.
/// </summary>
/// <remarks>
/// One instance serves every benchmark task, some of which take any number of inputs (<c>sum</c>,
/// <c>consume</c>), so the codec knows no arity: values carry a type tag, and a position is only
/// checked for being non-negative.
/// </remarks>
public sealed class BenchCodec : ITaskCodec
{
    public static readonly BenchCodec Instance = new();

    private const byte Int = 1, Long = 2, IntArray = 3, DoubleArray = 4, Null = 5, Double = 6, IntOutcomeArray = 7;

    public void WriteArguments(in TaskArguments arguments, IBufferWriter<byte> output)
    {
        WriteInt32(output, arguments.Count);
        for (var i = 0; i < arguments.Count; i++)
        {
            Write(arguments[i], output);
        }
    }

    public TaskArguments ReadArguments(ReadOnlySpan<byte> input)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(input);
        input = input[4..];
        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Read(ref input);
        }

        return TaskArguments.FromValues(values);
    }

    /// <summary>One input alone: the same tagged bytes it has inside <see cref="WriteArguments"/>, without the count.</summary>
    public void WriteArgument(int position, object? value, IBufferWriter<byte> output)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Write(value, output);
    }

    public object? ReadArgument(int position, ReadOnlySpan<byte> input)
    {
        if (position < 0)
        {
            throw new FlowSerializationException($"A benchmark payload names input {position}: positions start at 0.");
        }

        var value = Read(ref input);
        return input.IsEmpty
            ? value
            : throw new FlowSerializationException($"{input.Length} bytes remain after input {position} of a benchmark payload.");
    }

    public void WriteResult(object? result, IBufferWriter<byte> output) => Write(result, output);

    public object? ReadResult(ReadOnlySpan<byte> input) => Read(ref input);

    private static void Write(object? value, IBufferWriter<byte> output)
    {
        switch (value)
        {
            case int i:
                WriteTag(output, Int);
                WriteInt32(output, i);
                break;
            case long l:
                WriteTag(output, Long);
                BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), l);
                output.Advance(8);
                break;
            case double x:
                WriteTag(output, Double);
                BinaryPrimitives.WriteDoubleLittleEndian(output.GetSpan(8), x);
                output.Advance(8);
                break;
            case int[] a:
                WriteTag(output, IntArray);
                WriteBlock(output, MemoryMarshal.AsBytes(a.AsSpan()), a.Length);
                break;
            case double[] d:
                WriteTag(output, DoubleArray);
                WriteBlock(output, MemoryMarshal.AsBytes(d.AsSpan()), d.Length);
                break;
            case Outcome<int>[] outcomes:
                WriteTag(output, IntOutcomeArray);
                WriteOutcomes(output, outcomes);
                break;
            case null:
                WriteTag(output, Null);
                break;
            default:
                throw new FlowSerializationException($"The benchmark codec cannot write {value.GetType()}.");
        }
    }

    private static object? Read(ref ReadOnlySpan<byte> input)
    {
        Need(input, 1);
        var tag = input[0];
        input = input[1..];
        switch (tag)
        {
            case Int:
                Need(input, 4);
                var i = BinaryPrimitives.ReadInt32LittleEndian(input);
                input = input[4..];
                return i;
            case Long:
                Need(input, 8);
                var l = BinaryPrimitives.ReadInt64LittleEndian(input);
                input = input[8..];
                return l;
            case Double:
                Need(input, 8);
                var x = BinaryPrimitives.ReadDoubleLittleEndian(input);
                input = input[8..];
                return x;
            case IntArray:
                return ReadBlock<int>(ref input);
            case DoubleArray:
                return ReadBlock<double>(ref input);
            case IntOutcomeArray:
                return ReadOutcomes(ref input);
            case Null:
                return null;
            default:
                throw new FlowSerializationException($"Unknown value tag {tag} in a benchmark payload.");
        }
    }

    private static T[] ReadBlock<T>(ref ReadOnlySpan<byte> input)
        where T : unmanaged
    {
        Need(input, 4);
        var length = BinaryPrimitives.ReadInt32LittleEndian(input);
        input = input[4..];
        var bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (length < 0 || bytes > input.Length)
        {
            throw new FlowSerializationException($"A benchmark payload claims {length} elements but holds {input.Length} bytes.");
        }

        var array = GC.AllocateUninitializedArray<T>(length);
        input[..(int)bytes].CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        input = input[(int)bytes..];
        return array;
    }

    /// <summary>
    /// The count, then per outcome its state and its value, or its failure's original type and
    /// message (what a generated serializer writes, less the details).
    /// </summary>
    private static void WriteOutcomes(IBufferWriter<byte> output, Outcome<int>[] outcomes)
    {
        WriteInt32(output, outcomes.Length);
        foreach (var outcome in outcomes)
        {
            WriteTag(output, (byte)outcome.State);
            if (outcome.Succeeded)
            {
                WriteInt32(output, outcome.Value);
            }
            else if (outcome.Exception is { } error)
            {
                WriteString(output, outcome.ExceptionType!);
                WriteString(output, error.Message);
            }
        }
    }

    private static Outcome<int>[] ReadOutcomes(ref ReadOnlySpan<byte> input)
    {
        Need(input, 4);
        var count = BinaryPrimitives.ReadInt32LittleEndian(input);
        input = input[4..];
        if (count < 0 || count > input.Length)
        {
            throw new FlowSerializationException($"A benchmark payload claims {count} outcomes but holds {input.Length} bytes.");
        }

        var outcomes = new Outcome<int>[count];
        for (var i = 0; i < count; i++)
        {
            Need(input, 1);
            var state = (TaskState)input[0];
            input = input[1..];
            if (state == TaskState.Succeeded)
            {
                Need(input, 4);
                outcomes[i] = Outcome<int>.Success(BinaryPrimitives.ReadInt32LittleEndian(input));
                input = input[4..];
            }
            else if (state != TaskState.Pending)
            {
                var type = ReadString(ref input);
                outcomes[i] = Outcome<int>.Failure(state, new RemoteTaskException(type, ReadString(ref input), type));
            }
        }

        return outcomes;
    }

    private static void WriteString(IBufferWriter<byte> output, string value)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        WriteInt32(output, bytes.Length);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static string ReadString(ref ReadOnlySpan<byte> input)
    {
        Need(input, 4);
        var length = BinaryPrimitives.ReadInt32LittleEndian(input);
        input = input[4..];
        if (length < 0 || length > input.Length)
        {
            throw new FlowSerializationException($"A benchmark payload claims a string of {length} bytes but holds {input.Length}.");
        }

        var value = System.Text.Encoding.UTF8.GetString(input[..length]);
        input = input[length..];
        return value;
    }

    private static void Need(ReadOnlySpan<byte> input, int bytes)
    {
        if (input.Length < bytes)
        {
            throw new FlowSerializationException($"A benchmark payload ends {bytes - input.Length} bytes short of a value (truncated).");
        }
    }

    private static void WriteTag(IBufferWriter<byte> output, byte tag)
    {
        output.GetSpan(1)[0] = tag;
        output.Advance(1);
    }

    private static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteBlock(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes, int length)
    {
        WriteInt32(output, length);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}

/// <summary>The benchmark assembly's task registry, as the generator would emit it.</summary>
public sealed class BenchTaskRegistry : ITaskRegistry
{
    private static readonly Dictionary<string, TaskDescriptor> ById = BenchTasks.All.ToDictionary(t => t.Id);

    public IReadOnlyList<TaskDescriptor> Tasks => BenchTasks.All;

    public TaskDescriptor? Find(string taskId) => ById.GetValueOrDefault(taskId);
}
