using System.Buffers.Binary;
using System.Text;

namespace Flows.Processes;

/// <summary>Reads the fields of one received frame, refusing anything that runs past its end.</summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _payload;
    private int _position;

    public PayloadReader(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
        _position = 0;
    }

    public ReadOnlySpan<byte> Rest => _payload[_position..];

    public byte ReadByte() => Take(1)[0];

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public Guid ReadGuid() => new(Take(16));

    public ReadOnlySpan<byte> ReadBytes(int count) =>
        count >= 0 ? Take(count) : throw new WorkerProtocolException($"a field length of {count} at offset {_position}");

    public string ReadString()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            throw new WorkerProtocolException($"a string length of {length}");
        }

        return Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>
    /// A failure's type chain: a count, at least 1, then that many non-empty names (the thrown type's,
    /// then its base types'). A count the rest of the frame cannot hold (each name takes at least its
    /// 4-byte length) is refused before anything is allocated.
    /// </summary>
    public string[] ReadTypeChain()
    {
        var count = ReadInt32();
        if (count < 1 || count > (_payload.Length - _position) / 4)
        {
            throw new WorkerProtocolException($"a type chain of {count} names at offset {_position} of a {_payload.Length}-byte frame");
        }

        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = ReadString();
            if (names[i].Length == 0)
            {
                throw new WorkerProtocolException($"an empty type name at entry {i} of a type chain");
            }
        }

        return names;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _payload.Length - _position)
        {
            throw new WorkerProtocolException($"a field of {count} bytes at offset {_position} of a {_payload.Length}-byte frame");
        }

        var span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }
}

/// <summary>The other side sent bytes that are not a valid frame: the connection cannot be trusted any more.</summary>
internal sealed class WorkerProtocolException : Exception
{
    public WorkerProtocolException(string what)
        : base($"Malformed message between the flow process and a worker process: {what}. Both sides must run the same Flows build.")
    {
    }
}
