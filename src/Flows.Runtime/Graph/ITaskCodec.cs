using System.Buffers;

namespace Flows.Graph;

/// <summary>
/// Moves one task's inputs and result across a process boundary. Generated per task from the
/// generated serializers of its parameter and result types; nothing else ever decodes task bytes.
/// </summary>
/// <remarks>
/// Readers must treat input as hostile: a truncated, corrupted or forged payload raises
/// <see cref="FlowSerializationException"/>; it never crashes the process, hangs, or allocates
/// what the input merely claims.
/// </remarks>
public interface ITaskCodec
{
    /// <summary>Writes the task's inputs (every parameter but the cancellation token), in order.</summary>
    void WriteArguments(in TaskArguments arguments, IBufferWriter<byte> output);

    /// <summary>Reads what <see cref="WriteArguments"/> wrote.</summary>
    TaskArguments ReadArguments(ReadOnlySpan<byte> input);

    /// <summary>Writes the task's result (the awaited value for an asynchronous task; null for none).</summary>
    void WriteResult(object? result, IBufferWriter<byte> output);

    /// <summary>Reads what <see cref="WriteResult"/> wrote.</summary>
    object? ReadResult(ReadOnlySpan<byte> input);
}
