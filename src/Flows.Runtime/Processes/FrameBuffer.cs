using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Flows.Processes;

/// <summary>
/// A growable buffer of outgoing frames: header fields are written directly, payloads may be
/// written by a task codec through <see cref="IBufferWriter{T}"/>. Several frames can be queued
/// and sent with one system call.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _length;
    private int _frameStart = -1;

    public FrameBuffer(int capacity = 4096) => _buffer = new byte[capacity];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Clear()
    {
        _length = 0;
        _frameStart = -1;

        // A large buffer is kept for the next large payload: fresh memory costs a page fault per
        // page on first touch, which dominates moving big arrays (tens of ms per 8 MiB on a VM).
        // Only a very large one is let go.
        if (_buffer.Length > 256 << 20)
        {
            _buffer = new byte[4096];
        }
    }

    public void BeginFrame(FrameKind kind)
    {
        _frameStart = _length;
        Reserve(WorkerProtocol.HeaderBytes);
        _buffer[_length + 4] = (byte)kind;
        _length += WorkerProtocol.HeaderBytes;
    }

    public void EndFrame()
    {
        var payload = _length - _frameStart - 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_frameStart), payload);
        _frameStart = -1;
    }

    /// <summary>Drops a frame begun but not ended (its payload could not be written).</summary>
    public void AbandonFrame()
    {
        if (_frameStart >= 0)
        {
            _length = _frameStart;
            _frameStart = -1;
        }
    }

    /// <summary>Changes the kind of the frame being written (a result that turned out large enough for shared memory).</summary>
    public void SetFrameKind(FrameKind kind) => _buffer[_frameStart + 4] = (byte)kind;

    /// <summary>Drops what was written after <paramref name="length"/> (within the frame being written).</summary>
    public void Truncate(int length)
    {
        if (length < _frameStart + WorkerProtocol.HeaderBytes || length > _length)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        _length = length;
    }

    /// <summary>Overwrites four bytes written earlier (a length written before what it measures).</summary>
    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(position, 4), value);

    public void WriteByte(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    public void WriteInt32(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    public void WriteInt64(long value)
    {
        Reserve(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    public void WriteGuid(Guid value)
    {
        Reserve(16);
        value.TryWriteBytes(_buffer.AsSpan(_length));
        _length += 16;
    }

    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        WriteInt32(bytes);
        Reserve(bytes);
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(Math.Max(sizeHint, 256));
        return _buffer.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(Math.Max(sizeHint, 256));
        return _buffer.AsSpan(_length);
    }

    private void Reserve(int count)
    {
        if (_buffer.Length - _length >= count)
        {
            return;
        }

        var needed = (long)_length + count;
        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        if (needed > Array.MaxLength)
        {
            throw new FlowSerializationException($"A message to a worker process would exceed {Array.MaxLength} bytes; pass smaller values between tasks.");
        }

        Array.Resize(ref _buffer, (int)size);
    }
}
