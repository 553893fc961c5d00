using System.Buffers;
using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// Moves one task's inputs and result across a process boundary. Generated per task from the
/// generated serializers of its parameter and result types; nothing else ever decodes task bytes.
/// </summary>
/// <remarks>
/// Readers must treat input as hostile: a truncated, corrupted or forged payload raises
/// <see cref="FlowSerializationException"/>; it never crashes the process, hangs, or allocates
/// what the input merely claims.
/// <para>Implemented by generated code; not for direct use.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITaskCodec
{
    /// <summary>Writes the task's inputs (every parameter but the cancellation token), in order.</summary>
    void WriteArguments(in TaskArguments arguments, IBufferWriter<byte> output);

    /// <summary>Reads what <see cref="WriteArguments"/> wrote.</summary>
    TaskArguments ReadArguments(ReadOnlySpan<byte> input);

    /// <summary>
    /// Writes one input alone: the value at <paramref name="position"/> (as numbered in
    /// <see cref="WriteArguments"/>: the task's parameters in order, cancellation tokens skipped).
    /// </summary>
    /// <remarks>
    /// Lets an executor move each input of a task on its own: one may come inline from the client
    /// while another is the stored result of an earlier task on another worker, so there is never
    /// one buffer holding all of them. The bytes are those the input has inside the
    /// <see cref="WriteArguments"/> payload, as a payload of their own.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is not one of the task's inputs (a caller's bug).</exception>
    void WriteArgument(int position, object? value, IBufferWriter<byte> output);

    /// <summary>Reads what <see cref="WriteArgument"/> wrote for <paramref name="position"/>.</summary>
    /// <remarks>
    /// As hostile as <see cref="ReadArguments"/>: the position may come off the wire too, so a
    /// position the task does not have is a <see cref="FlowSerializationException"/> naming the
    /// task and the position, like a truncated or corrupted payload or bytes left after the value.
    /// </remarks>
    object? ReadArgument(int position, ReadOnlySpan<byte> input);

    /// <summary>Writes the task's result (the awaited value for an asynchronous task; null for none).</summary>
    void WriteResult(object? result, IBufferWriter<byte> output);

    /// <summary>Reads what <see cref="WriteResult"/> wrote.</summary>
    object? ReadResult(ReadOnlySpan<byte> input);
}
