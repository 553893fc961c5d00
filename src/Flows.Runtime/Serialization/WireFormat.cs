namespace Flows.Serialization;

/// <summary>
/// Constants of the Flows wire format, shared by <see cref="FlowWriter"/>, <see cref="FlowReader"/>
/// and the generated serializers.
/// </summary>
/// <remarks>
/// A payload is one version byte followed by values. Fixed-width primitives are little-endian;
/// lengths are unsigned LEB128 varints of <c>count + 1</c>, where 0 means null; a reference-type
/// object starts with a presence byte (0 null, 1 present); strings are UTF-8. Types are never named on
/// the wire: both sides run serializers generated for the same declared types.
/// </remarks>
public static class WireFormat
{
    /// <summary>The version byte every payload starts with. A reader refuses any other.</summary>
    public const byte Version = 1;

    /// <summary>How deep objects and collections may nest, on write and on read.</summary>
    public const int MaxDepth = 64;

    /// <summary>The largest element count or string length in bytes a reader accepts.</summary>
    public const int MaxLength = 0x7FFFFFC7; // Array.MaxLength
}
