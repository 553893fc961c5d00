using System.Buffers;
using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// Writes and reads a flow's arguments (one value per graph parameter, in order), so that a store
/// keeps what a resumed run is given. Generated per flow from the generated serializers of its
/// parameter types.
/// </summary>
/// <remarks>
/// <see cref="Read"/> treats its input as hostile, like <see cref="ITaskCodec"/>: a truncated,
/// corrupted or forged payload raises <see cref="FlowSerializationException"/>.
/// <para>Implemented by generated code; not for direct use.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IFlowArgumentsCodec
{
    /// <summary>Writes <paramref name="arguments"/>, one value per graph parameter in order.</summary>
    void Write(object?[] arguments, IBufferWriter<byte> output);

    /// <summary>Reads what <see cref="Write"/> wrote: one value per graph parameter.</summary>
    object?[] Read(ReadOnlySpan<byte> input);
}
