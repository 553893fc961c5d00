using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Flows.Serialization;

/// <summary>
/// Writes values in the Flows wire format (<see cref="WireFormat"/>) to an <see cref="IBufferWriter{T}"/>.
/// Generated serializers call it; user code rarely needs to.
/// </summary>
/// <remarks>
/// The writer buffers into spans taken from the output and commits them as it goes: call
/// <see cref="Flush"/> once the last value is written. Pass it by <c>ref</c>.
/// <para>Called by generated code; not for direct use.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct FlowWriter
{
    private const int MinimumSpan = 256;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private int _depth;

    /// <summary>Starts a payload on <paramref name="output"/>: writes the <see cref="WireFormat.Version"/> byte.</summary>
    public FlowWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = output.GetSpan(MinimumSpan);
        _buffered = 0;
        _depth = 0;
        WriteByte(WireFormat.Version);
    }

    /// <summary>Commits what is buffered to the output. Call once after the last value.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
            _span = default;
        }
    }

    /// <summary>Enters a nested object or collection of <paramref name="type"/>; throws past <see cref="WireFormat.MaxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter(Type type)
    {
        if (++_depth > WireFormat.MaxDepth)
        {
            ThrowTooDeep(type);
        }
    }

    /// <summary>Leaves what <see cref="Enter"/> entered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit() => _depth--;

    /// <summary>Writes a null marker: a null object, string or collection.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNull() => WriteByte(0);

    /// <summary>Writes the presence marker that starts a non-null object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WritePresent() => WriteByte(1);

    /// <summary>Writes a collection length, or -1 for null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteLength(int count)
    {
        var value = (uint)(count + 1);
        if (value < 0x80 && _span.Length - _buffered >= 1)
        {
            _span[_buffered++] = (byte)value;
            return;
        }

        WriteVarUInt32Slow(value);
    }

    /// <summary>Writes one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (_buffered >= _span.Length)
        {
            Grow(1);
        }

        _span[_buffered++] = value;
    }

    /// <summary>Writes a signed byte.</summary>
    public void WriteSByte(sbyte value) => WriteByte((byte)value);

    /// <summary>Writes a boolean as 0 or 1.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes a 16-bit integer.</summary>
    public void WriteInt16(short value) => WriteRaw(value);

    /// <summary>Writes an unsigned 16-bit integer.</summary>
    public void WriteUInt16(ushort value) => WriteRaw(value);

    /// <summary>Writes a UTF-16 code unit.</summary>
    public void WriteChar(char value) => WriteRaw((ushort)value);

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value) => WriteRaw(value);

    /// <summary>Writes an unsigned 32-bit integer.</summary>
    public void WriteUInt32(uint value) => WriteRaw(value);

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value) => WriteRaw(value);

    /// <summary>Writes an unsigned 64-bit integer.</summary>
    public void WriteUInt64(ulong value) => WriteRaw(value);

    /// <summary>Writes a 32-bit float.</summary>
    public void WriteSingle(float value) => WriteRaw(BitConverter.SingleToInt32Bits(value));

    /// <summary>Writes a 64-bit float.</summary>
    public void WriteDouble(double value) => WriteRaw(BitConverter.DoubleToInt64Bits(value));

    /// <summary>Writes a decimal as its four 32-bit parts (low, mid, high, flags).</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        WriteRaw(bits[0]);
        WriteRaw(bits[1]);
        WriteRaw(bits[2]);
        WriteRaw(bits[3]);
    }

    /// <summary>Writes a date and time: its ticks and its kind.</summary>
    public void WriteDateTime(DateTime value) => WriteRaw((long)((ulong)value.Ticks | ((ulong)value.Kind << 62)));

    /// <summary>Writes a date and time with its offset: the local ticks and the offset in minutes.</summary>
    public void WriteDateTimeOffset(DateTimeOffset value)
    {
        WriteRaw(value.Ticks);
        WriteRaw((short)value.TotalOffsetMinutes);
    }

    /// <summary>Writes a time span as ticks.</summary>
    public void WriteTimeSpan(TimeSpan value) => WriteRaw(value.Ticks);

    /// <summary>Writes a GUID as its 16 bytes.</summary>
    public void WriteGuid(Guid value)
    {
        Ensure(16);
        value.TryWriteBytes(_span.Slice(_buffered, 16));
        _buffered += 16;
    }

    /// <summary>Writes a string as its UTF-8 byte count (null as 0) and bytes.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        // Short strings: reserve the worst case and encode once.
        if (value.Length <= 42)
        {
            Ensure(1 + (value.Length * 3));
            var count = Encoding.UTF8.GetBytes(value, _span.Slice(_buffered + 1));
            _span[_buffered] = (byte)(count + 1);
            _buffered += 1 + count;
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        WriteLength(bytes);
        Ensure(bytes);
        Encoding.UTF8.GetBytes(value, _span.Slice(_buffered));
        _buffered += bytes;
    }

    /// <summary>
    /// Writes an array of an unmanaged type as its length and its memory, copied as one block
    /// (null as 0). The reader must read it with <see cref="FlowReader.ReadUnmanagedArray{T}"/>.
    /// </summary>
    public void WriteUnmanagedArray<T>(T[]? value)
        where T : unmanaged
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        WriteLength(value.Length);
        WriteBlock(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    /// <summary>Writes raw bytes with no length: the reader must know how many to expect.</summary>
    public void WriteBlock(ReadOnlySpan<byte> bytes)
    {
        EnsureLittleEndian();
        while (bytes.Length > 0)
        {
            if (_buffered >= _span.Length)
            {
                Grow(Math.Min(bytes.Length, 1 << 20));
            }

            var chunk = Math.Min(bytes.Length, _span.Length - _buffered);
            bytes.Slice(0, chunk).CopyTo(_span.Slice(_buffered));
            _buffered += chunk;
            bytes = bytes.Slice(chunk);
        }
    }

    /// <summary>Writes the state of an <see cref="Outcome{T}"/>, its first byte.</summary>
    public void WriteOutcomeState(TaskState state) => WriteByte((byte)state);

    /// <summary>
    /// Writes the failure of an <see cref="Outcome{T}"/> that did not succeed: the original exception's
    /// type name, its message and its details (<c>ToString()</c>: stack and inner exceptions), never
    /// the exception object. What stands for an exception thrown elsewhere (a
    /// <see cref="RemoteTaskException"/>) is written as the original.
    /// </summary>
    public void WriteFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        WriteString(ExceptionNames.OriginalType(error));
        WriteString(error.Message);
        WriteString(error is RemoteTaskException remote ? remote.RemoteDetails : error.ToString());
    }

    /// <summary>
    /// The exception for a value whose runtime type is not the declared type: the wire format has
    /// no polymorphism, so a derived instance would lose its own members.
    /// </summary>
    public static FlowSerializationException RuntimeTypeMismatch(Type declared, Type actual) => new(
        $"Cannot write a {actual.FullName} where {declared.FullName} is declared: generated serializers write the declared type only, and {actual.Name} would lose its own members. Declare the task's parameter or result (or the member) as {actual.Name}, or seal {declared.Name}.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteRaw<T>(T value)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }

        if (!BitConverter.IsLittleEndian)
        {
            ThrowBigEndian();
        }

        Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_span), _buffered), value);
        _buffered += size;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Grow(size);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size)
    {
        if (_output is null)
        {
            throw new InvalidOperationException("The writer was not created with an output.");
        }

        _output.Advance(_buffered);
        _buffered = 0;
        _span = _output.GetSpan(Math.Max(size, MinimumSpan));
        if (_span.Length < size)
        {
            throw new InvalidOperationException($"The output gave a span of {_span.Length} bytes where {size} were asked.");
        }
    }

    private void WriteVarUInt32Slow(uint value)
    {
        Ensure(5);
        while (value >= 0x80)
        {
            _span[_buffered++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _span[_buffered++] = (byte)value;
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            ThrowBigEndian();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBigEndian() =>
        throw new PlatformNotSupportedException("The Flows wire format is little-endian; big-endian processes are not supported.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooDeep(Type type) => throw new FlowSerializationException(
        $"Cannot write {type.FullName}: values nest more than {WireFormat.MaxDepth} levels deep. Is there a cycle (an object that refers back to itself)? Flatten the data or break the cycle.");
}
