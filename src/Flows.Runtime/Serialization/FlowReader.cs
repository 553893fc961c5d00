using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Flows.Serialization;

/// <summary>
/// Reads values in the Flows wire format (<see cref="WireFormat"/>) from a span. Generated
/// serializers call it; user code rarely needs to.
/// </summary>
/// <remarks>
/// Input is treated as hostile: every read checks the bytes that remain, a length is accepted only
/// when the remaining bytes could hold that many elements, nesting is limited to
/// <see cref="WireFormat.MaxDepth"/>, and every failure is a <see cref="FlowSerializationException"/>
/// that names what was being read and the byte offset.
/// <para>Called by generated code; not for direct use.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct FlowReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;
    private int _depth;

    /// <summary>Starts reading a payload: checks its <see cref="WireFormat.Version"/> byte.</summary>
    public FlowReader(ReadOnlySpan<byte> input)
    {
        _buffer = input;
        _position = 0;
        _depth = 0;
        if (input.IsEmpty)
        {
            throw new FlowSerializationException("Cannot read a Flows payload: it is empty (0 bytes). A payload starts with a version byte.");
        }

        if (input[0] != WireFormat.Version)
        {
            throw new FlowSerializationException(
                $"Cannot read a Flows payload of wire version {input[0]}: this build reads version {WireFormat.Version}. Run the same build of the flow's assembly on both sides.");
        }

        _position = 1;
    }

    /// <summary>The offset of the next byte to read.</summary>
    public readonly int Position => _position;

    /// <summary>How many bytes remain.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>Enters a nested object or collection of <paramref name="typeName"/>; throws past <see cref="WireFormat.MaxDepth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enter(string typeName)
    {
        if (++_depth > WireFormat.MaxDepth)
        {
            ThrowTooDeep(typeName);
        }
    }

    /// <summary>Leaves what <see cref="Enter"/> entered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Exit() => _depth--;

    /// <summary>Checks that the whole payload was read; trailing bytes mean a corrupted or mismatched payload.</summary>
    public readonly void EnsureEnd(string what)
    {
        if (_position != _buffer.Length)
        {
            throw Error(what, $"{_buffer.Length - _position} bytes remain after the last value (corrupted payload, or one written for other types)");
        }
    }

    /// <summary>Reads the presence marker of a reference-type object: false for null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ReadPresence(string typeName)
    {
        if (_position < _buffer.Length)
        {
            var marker = _buffer[_position];
            if (marker <= 1)
            {
                _position++;
                return marker == 1;
            }
        }

        ThrowBadPresence(typeName);
        return false;
    }

    /// <summary>
    /// Reads a collection length: -1 for null. Throws unless the remaining bytes could hold that many
    /// elements of at least <paramref name="minElementSize"/> bytes each, so a forged length never
    /// makes the caller allocate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadLength(int minElementSize, string typeName)
    {
        var start = _position;
        uint raw;
        if (_position < _buffer.Length && _buffer[_position] < 0x80)
        {
            raw = _buffer[_position++];
        }
        else
        {
            raw = ReadVarUInt32Slow(typeName);
        }

        if (raw == 0)
        {
            return -1;
        }

        var count = raw - 1;
        if (count > WireFormat.MaxLength || (ulong)count * (ulong)minElementSize > (ulong)(_buffer.Length - _position))
        {
            ThrowBadLength(typeName, count, minElementSize, start);
        }

        return (int)count;
    }

    /// <summary>Reads one byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if (_position >= _buffer.Length)
        {
            ThrowTruncated("Byte", 1);
        }

        return _buffer[_position++];
    }

    /// <summary>Reads a signed byte.</summary>
    public sbyte ReadSByte() => (sbyte)ReadByte();

    /// <summary>Reads a boolean; any byte but 0 or 1 is refused.</summary>
    public bool ReadBoolean()
    {
        var value = ReadByte();
        if (value > 1)
        {
            throw Error("Boolean", $"the byte {value} is not 0 or 1", _position - 1);
        }

        return value == 1;
    }

    /// <summary>Reads a 16-bit integer.</summary>
    public short ReadInt16() => ReadRaw<short>("Int16");

    /// <summary>Reads an unsigned 16-bit integer.</summary>
    public ushort ReadUInt16() => ReadRaw<ushort>("UInt16");

    /// <summary>Reads a UTF-16 code unit.</summary>
    public char ReadChar() => (char)ReadRaw<ushort>("Char");

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => ReadRaw<int>("Int32");

    /// <summary>Reads an unsigned 32-bit integer.</summary>
    public uint ReadUInt32() => ReadRaw<uint>("UInt32");

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => ReadRaw<long>("Int64");

    /// <summary>Reads an unsigned 64-bit integer.</summary>
    public ulong ReadUInt64() => ReadRaw<ulong>("UInt64");

    /// <summary>Reads a 32-bit float.</summary>
    public float ReadSingle() => BitConverter.Int32BitsToSingle(ReadRaw<int>("Single"));

    /// <summary>Reads a 64-bit float.</summary>
    public double ReadDouble() => BitConverter.Int64BitsToDouble(ReadRaw<long>("Double"));

    /// <summary>Reads a decimal; parts that no decimal has (a scale over 28, reserved bits) are refused.</summary>
    public decimal ReadDecimal()
    {
        var start = _position;
        var lo = ReadRaw<int>("Decimal");
        var mid = ReadRaw<int>("Decimal");
        var hi = ReadRaw<int>("Decimal");
        var flags = ReadRaw<int>("Decimal");
        var scale = (flags >> 16) & 0xFF;
        if ((flags & 0x7F00FFFF) != 0 || scale > 28)
        {
            throw Error("Decimal", $"the flags 0x{flags:X8} are not a decimal's", start);
        }

        return new decimal(lo, mid, hi, flags < 0, (byte)scale);
    }

    /// <summary>Reads a date and time; ticks out of range or an unknown kind are refused.</summary>
    public DateTime ReadDateTime()
    {
        var start = _position;
        var raw = (ulong)ReadRaw<long>("DateTime");
        var ticks = (long)(raw & 0x3FFFFFFFFFFFFFFF);
        var kind = (int)(raw >> 62);
        if (ticks > DateTime.MaxValue.Ticks || kind > 2)
        {
            throw Error("DateTime", "the ticks or kind are out of range", start);
        }

        return new DateTime(ticks, (DateTimeKind)kind);
    }

    /// <summary>Reads a date and time with its offset; values out of range are refused.</summary>
    public DateTimeOffset ReadDateTimeOffset()
    {
        var start = _position;
        var ticks = ReadRaw<long>("DateTimeOffset");
        var minutes = ReadRaw<short>("DateTimeOffset");
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks || minutes < -840 || minutes > 840)
        {
            throw Error("DateTimeOffset", "the ticks or offset are out of range", start);
        }

        var utc = ticks - (minutes * TimeSpan.TicksPerMinute);
        if (utc < 0 || utc > DateTime.MaxValue.Ticks)
        {
            throw Error("DateTimeOffset", "the UTC time is out of range", start);
        }

        return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
    }

    /// <summary>Reads a time span.</summary>
    public TimeSpan ReadTimeSpan() => new(ReadRaw<long>("TimeSpan"));

    /// <summary>Reads a GUID.</summary>
    public Guid ReadGuid()
    {
        if (_buffer.Length - _position < 16)
        {
            ThrowTruncated("Guid", 16);
        }

        var value = new Guid(_buffer.Slice(_position, 16));
        _position += 16;
        return value;
    }

    /// <summary>Reads a string (null when written null). Invalid UTF-8 becomes U+FFFD, as in <see cref="Encoding.UTF8"/>.</summary>
    public string? ReadString()
    {
        var count = ReadLength(1, "String");
        if (count < 0)
        {
            return null;
        }

        if (count == 0)
        {
            return string.Empty;
        }

        var value = Encoding.UTF8.GetString(_buffer.Slice(_position, count));
        _position += count;
        return value;
    }

    /// <summary>Reads what <see cref="FlowWriter.WriteUnmanagedArray{T}"/> wrote: a length and one block.</summary>
    public T[]? ReadUnmanagedArray<T>(string typeName)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        var count = ReadLength(size, typeName);
        if (count < 0)
        {
            return null;
        }

        if (count == 0)
        {
            return Array.Empty<T>();
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The Flows wire format is little-endian; big-endian processes are not supported.");
        }

        var array = GC.AllocateUninitializedArray<T>(count);
        var bytes = count * size;
        _buffer.Slice(_position, bytes).CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
        _position += bytes;
        return array;
    }

    /// <summary>
    /// Reads the state of an <see cref="Outcome{T}"/>: <see cref="TaskState.Succeeded"/> (its value
    /// follows), <see cref="TaskState.Pending"/> (a default outcome: nothing follows), or a state an
    /// outcome that did not succeed can have (its failure follows, see <see cref="ReadFailure"/>).
    /// </summary>
    public TaskState ReadOutcomeState(string typeName)
    {
        var start = _position;
        var state = (TaskState)ReadByte();
        if (state is TaskState.Succeeded or TaskState.Pending or TaskState.Failed or TaskState.TimedOut or
            TaskState.Crashed or TaskState.Cancelled or TaskState.Skipped)
        {
            return state;
        }

        throw Error(typeName, $"the outcome's state is {(byte)state}, which no outcome has", start);
    }

    /// <summary>
    /// Reads what <see cref="FlowWriter.WriteFailure"/> wrote, as a <see cref="RemoteTaskException"/>
    /// that carries the original type's name, message and details: no exception type named by the
    /// payload is ever instantiated.
    /// </summary>
    public RemoteTaskException ReadFailure(string typeName)
    {
        var start = _position;
        var type = ReadString();
        var message = ReadString();
        var details = ReadString();
        if (string.IsNullOrEmpty(type) || message is null || details is null)
        {
            throw Error(typeName, "the failure of an outcome that did not succeed lacks its exception's type, message or details", start);
        }

        return new RemoteTaskException(type, message, details);
    }

    /// <summary>
    /// An exception that says <paramref name="typeName"/> could not be read at the current offset,
    /// and why. Generated serializers throw it for a value they refuse (a duplicate key, a null key).
    /// </summary>
    public readonly FlowSerializationException Error(string typeName, string problem) => Error(typeName, problem, _position);

    /// <summary>Wraps what a constructor or property setter threw while a value of <paramref name="typeName"/> was being built.</summary>
    public readonly FlowSerializationException ConstructionFailed(string typeName, Exception exception) => new(
        $"Cannot read {typeName} ending at byte {_position} of {_buffer.Length}: its constructor or a property setter threw {exception.GetType().Name}: {exception.Message} The payload holds a value the type refuses (corrupted, or written by another build).",
        exception);

    private readonly FlowSerializationException Error(string typeName, string problem, int offset) => new(
        $"Cannot read {typeName} at byte {offset} of {_buffer.Length}: {problem}. The payload is corrupted, truncated or not a Flows payload of these types.");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T ReadRaw<T>(string typeName)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        if (_buffer.Length - _position < size)
        {
            ThrowTruncated(typeName, size);
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The Flows wire format is little-endian; big-endian processes are not supported.");
        }

        var value = Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_buffer), _position));
        _position += size;
        return value;
    }

    private uint ReadVarUInt32Slow(string typeName)
    {
        var start = _position;
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                ThrowTruncated(typeName + " length", 1);
            }

            var b = _buffer[_position++];
            if (shift == 28 && b > 0x0F)
            {
                break;
            }

            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Error(typeName, "the length is not a valid 32-bit varint", start);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTruncated(string typeName, int size) => throw Error(
        typeName,
        $"{size} bytes are needed but only {_buffer.Length - _position} remain (truncated payload)",
        _position);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowBadPresence(string typeName) => throw (_position >= _buffer.Length
        ? Error(typeName, "the payload ends where a value starts (truncated payload)", _position)
        : Error(typeName, $"the null marker is {_buffer[_position]}, not 0 or 1", _position));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowBadLength(string typeName, uint count, int minElementSize, int start) => throw Error(
        typeName,
        $"the length {count} needs at least {(ulong)count * (ulong)minElementSize} bytes but only {_buffer.Length - _position} remain",
        start);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowTooDeep(string typeName) => throw Error(
        typeName,
        $"values nest more than {WireFormat.MaxDepth} levels deep (hostile or corrupted payload)",
        _position);
}
