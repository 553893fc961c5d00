using System.Buffers;
using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// A <see cref="SimpleCodec"/> that counts the results it reads in this process: a result that stays in
/// shared memory is never decoded in the flow process, one the flow reads is decoded once.
/// </summary>
internal sealed class CountingCodec(SimpleCodec inner) : ITaskCodec
{
    private static long s_resultsRead;

    /// <summary>Results read by any counting codec in this process so far.</summary>
    public static long ResultsRead => Interlocked.Read(ref s_resultsRead);

    public static CountingCodec Of(params Type[] parameters) => new(new SimpleCodec(parameters));

    public void WriteArguments(in TaskArguments arguments, IBufferWriter<byte> output) => inner.WriteArguments(arguments, output);

    public TaskArguments ReadArguments(ReadOnlySpan<byte> input) => inner.ReadArguments(input);

    public void WriteArgument(int position, object? value, IBufferWriter<byte> output) => inner.WriteArgument(position, value, output);

    public object? ReadArgument(int position, ReadOnlySpan<byte> input) => inner.ReadArgument(position, input);

    public void WriteResult(object? result, IBufferWriter<byte> output) => inner.WriteResult(result, output);

    public object? ReadResult(ReadOnlySpan<byte> input)
    {
        Interlocked.Increment(ref s_resultsRead);
        return inner.ReadResult(input);
    }
}
