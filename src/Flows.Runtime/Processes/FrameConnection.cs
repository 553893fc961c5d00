using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace Flows.Processes;

/// <summary>
/// One received frame: its kind and its payload. A large payload lives in a pooled array, which
/// goes back to the pool through <see cref="FrameConnection.Release"/> once the frame is handled.
/// </summary>
internal readonly record struct Frame(FrameKind Kind, byte[] Buffer, int Offset, int Length, bool Pooled = false)
{
    public ReadOnlySpan<byte> Payload => Buffer.AsSpan(Offset, Length);
}

/// <summary>
/// A framed, bidirectional connection over a local socket. One thread receives; any thread may send
/// (sends are serialized). Small frames are read in large chunks; a large payload is read straight
/// into its own array, never copied twice.
/// </summary>
internal sealed class FrameConnection : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly Func<bool>? _spinBeforeBlocking;
    private readonly object _sendGate = new();
    private readonly byte[] _chunk = new byte[ChunkBytes];
    private int _chunkStart;
    private int _chunkEnd;

    /// <param name="socket">The connected socket.</param>
    /// <param name="spinBeforeBlocking">Whether to poll briefly before a blocking receive (see <see cref="SpinBrieflyForData"/>); asked each time.</param>
    public FrameConnection(Socket socket, Func<bool>? spinBeforeBlocking = null)
    {
        _socket = socket;
        _spinBeforeBlocking = spinBeforeBlocking;
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            _socket.NoDelay = true;
        }
    }

    /// <summary>Whether a whole frame is already buffered (a receive would not block).</summary>
    public bool HasBufferedFrame
    {
        get
        {
            var available = _chunkEnd - _chunkStart;
            if (available < WorkerProtocol.HeaderBytes)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_chunk.AsSpan(_chunkStart));
            return available >= 4 + length;
        }
    }

    /// <summary>Sends bytes that hold whole frames.</summary>
    public void Send(ReadOnlySpan<byte> frames)
    {
        lock (_sendGate)
        {
            while (!frames.IsEmpty)
            {
                var sent = _socket.Send(frames, SocketFlags.None);
                frames = frames[sent..];
            }
        }
    }

    /// <summary>Sends the frames in <paramref name="buffer"/> and clears it.</summary>
    public void Send(FrameBuffer buffer)
    {
        Send(buffer.WrittenSpan);
        buffer.Clear();
    }

    /// <summary>Blocks for the next frame; false when the other side closed the connection.</summary>
    public bool TryReceive(out Frame frame)
    {
        frame = default;
        if (!Fill(4))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_chunk.AsSpan(_chunkStart));
        if (length < 1 || length > WorkerProtocol.MaxFrameBytes)
        {
            throw new WorkerProtocolException($"a frame length of {length}");
        }

        _chunkStart += 4;
        if (length <= ChunkBytes)
        {
            if (!Fill(length))
            {
                return false;
            }

            var small = _chunk.AsSpan(_chunkStart, length).ToArray();
            _chunkStart += length;
            frame = new Frame((FrameKind)small[0], small, 1, length - 1);
            return true;
        }

        // Large payload: take what is buffered, then read the rest directly into place. The array
        // is pooled: fresh memory costs a page fault per page on first touch, which dominates
        // moving big arrays.
        var large = ArrayPool<byte>.Shared.Rent(length);
        var buffered = _chunkEnd - _chunkStart;
        _chunk.AsSpan(_chunkStart, buffered).CopyTo(large);
        _chunkStart = _chunkEnd = 0;
        var filled = buffered;
        while (filled < length)
        {
            var read = _socket.Receive(large.AsSpan(filled, length - filled), SocketFlags.None);
            if (read == 0)
            {
                ArrayPool<byte>.Shared.Return(large);
                return false;
            }

            filled += read;
        }

        frame = new Frame((FrameKind)large[0], large, 1, length - 1, Pooled: true);
        return true;
    }

    /// <summary>Gives a handled frame's pooled payload back; the frame must not be used afterwards.</summary>
    public static void Release(in Frame frame)
    {
        if (frame.Pooled)
        {
            ArrayPool<byte>.Shared.Return(frame.Buffer);
        }
    }

    /// <summary>
    /// Polls the socket for a few microseconds before a blocking receive: in a chain of tasks the
    /// next request usually comes within that time, and a blocked thread takes far longer to wake.
    /// Workers always do it (an idle worker has nothing else to run); the flow process only while a
    /// worker has a single task in flight (a chain), since otherwise its reader threads would take the
    /// cores the workers need.
    /// </summary>
    private void SpinBrieflyForData()
    {
        try
        {
            for (var i = 0; i < 50 && _socket.Available == 0; i++)
            {
                Thread.SpinWait(30);
            }
        }
        catch (SocketException)
        {
            // The receive that follows reports it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the other side.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    /// <summary>Makes at least <paramref name="count"/> bytes (≤ the chunk size) available at the read position.</summary>
    private bool Fill(int count)
    {
        if (_chunkEnd - _chunkStart >= count)
        {
            return true;
        }

        if (_chunkStart > 0)
        {
            var kept = _chunkEnd - _chunkStart;
            Buffer.BlockCopy(_chunk, _chunkStart, _chunk, 0, kept);
            _chunkStart = 0;
            _chunkEnd = kept;
        }

        while (_chunkEnd < count)
        {
            if (_spinBeforeBlocking?.Invoke() == true)
            {
                SpinBrieflyForData();
            }

            int read;
            try
            {
                read = _socket.Receive(_chunk.AsSpan(_chunkEnd), SocketFlags.None);
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            if (read == 0)
            {
                return false;
            }

            _chunkEnd += read;
        }

        return true;
    }
}
