using System.Buffers;
using Flows.Graph;

namespace Flows.Runtime.Tests.Storage;

/// <summary>Tasks and graphs for the store's tests, with codecs (a store keeps only what a codec writes).</summary>
internal static class StoreTasks
{
    /// <summary>Adds its two inputs and counts its calls per process.</summary>
    public static readonly TaskDescriptor Add = new(
        "Tests.Store.Add",
        "Add",
        static (in TaskArguments a, CancellationToken _) =>
        {
            Interlocked.Increment(ref s_adds);
            return a.Get<int>(0) + a.Get<int>(1);
        },
        codec: new SimpleCodec(typeof(int), typeof(int)),
        codeHash: "add-1");

    /// <summary>Fails until the file its second input names exists.</summary>
    public static readonly TaskDescriptor Gate = new(
        "Tests.Store.Gate",
        "Gate",
        static (in TaskArguments a, CancellationToken _) => File.Exists(a.Get<string>(1)) ? a.Get<int>(0) * 10 : throw new InvalidOperationException("the gate is closed"),
        codec: new SimpleCodec(typeof(int), typeof(string)),
        codeHash: "gate-1");

    /// <summary>Waits until <see cref="Unblock"/> completes (a run that is still running).</summary>
    public static readonly TaskDescriptor Block = new(
        "Tests.Store.Block",
        "Block",
        static (in TaskArguments a, CancellationToken ct) => BlockAsync(a.Get<int>(0), ct),
        asyncResult: static t => ((Task<int>)t).Result,
        codec: new SimpleCodec(typeof(int)),
        codeHash: "block-1");

    /// <summary>Returns an array of its input's length (4 bytes per element): a value of any size.</summary>
    public static readonly TaskDescriptor Ones = new(
        "Tests.Store.Ones",
        "Ones",
        static (in TaskArguments a, CancellationToken _) => Enumerable.Repeat(1, a.Get<int>(0)).ToArray(),
        codec: new SimpleCodec(typeof(int)),
        codeHash: "ones-1");

    public static readonly TaskDescriptor Sum = new(
        "Tests.Store.Sum",
        "Sum",
        static (in TaskArguments a, CancellationToken _) => a.Get<int[]>(0).Sum(),
        codec: new SimpleCodec(typeof(int[])),
        codeHash: "sum-1");

    /// <summary>Sums its array, and fails until the file its second input names exists: the large value is read on a resume.</summary>
    public static readonly TaskDescriptor SumGate = new(
        "Tests.Store.SumGate",
        "SumGate",
        static (in TaskArguments a, CancellationToken _) => File.Exists(a.Get<string>(1)) ? a.Get<int[]>(0).Sum() * 10 : throw new InvalidOperationException("the gate is closed"),
        codec: new SimpleCodec(typeof(int[]), typeof(string)),
        codeHash: "sumgate-1");

    /// <summary>Every task here, for the test registry (worker processes find tasks by id there).</summary>
    public static TaskDescriptor[] All => [Add, Gate, Block, Ones, Sum, SumGate];

    private static int s_adds;

    public static TaskCompletionSource Unblock { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static int Adds => Volatile.Read(ref s_adds);

    /// <summary>x, gate => Gate(Add(x, 1), gate): the first step always succeeds, the second needs the gate.</summary>
    public static FlowGraph AddThenGate(string hash = "graph-1")
    {
        var g = new TestGraph("AddThenGate", "x", "gate");
        var added = g.Task(Add, g.P(0), g.Constant(1));
        return g.Build(g.Task(Gate, added, g.P(1)), hash, new ArgumentsCodec(typeof(int), typeof(string)));
    }

    /// <summary>n, gate => SumGate(Ones(n), gate): a resume reads the large value back.</summary>
    public static FlowGraph OnesThenGate()
    {
        var g = new TestGraph("OnesThenGate", "n", "gate");
        var ones = g.Task(Ones, g.P(0));
        return g.Build(g.Task(SumGate, ones, g.P(1)), "ones-graph", new ArgumentsCodec(typeof(int), typeof(string)));
    }

    private static async Task<int> BlockAsync(int x, CancellationToken ct)
    {
        await Unblock.Task.WaitAsync(ct);
        return x;
    }

    /// <summary>A flow's arguments through <see cref="SimpleCodec"/>.</summary>
    public sealed class ArgumentsCodec(params Type[] types) : IFlowArgumentsCodec
    {
        private readonly SimpleCodec _codec = new(types);

        public void Write(object?[] arguments, IBufferWriter<byte> output)
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                var one = new ArrayBufferWriter<byte>();
                _codec.WriteArgument(i, arguments[i], one);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), one.WrittenCount);
                output.Advance(4);
                output.Write(one.WrittenSpan);
            }
        }

        public object?[] Read(ReadOnlySpan<byte> input)
        {
            var values = new object?[types.Length];
            for (var i = 0; i < values.Length; i++)
            {
                if (input.Length < 4 || System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(input) is var length && (uint)length > (uint)(input.Length - 4))
                {
                    throw new FlowSerializationException("truncated arguments");
                }

                values[i] = _codec.ReadArgument(i, input.Slice(4, length));
                input = input[(4 + length)..];
            }

            return input.IsEmpty ? values : throw new FlowSerializationException("bytes left after the arguments");
        }
    }
}
