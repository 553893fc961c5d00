using System.Buffers;
using System.IO.Hashing;

namespace Flows.Storage;

/// <summary>
/// Where a codec writes a value for the store: small values collect in a pooled buffer and end up
/// inline; once a value reaches <see cref="BlobFiles.InlineLimit"/> its bytes stream to a file of its
/// own in chunks, so an 8 MiB result is never copied whole in memory. The checksum of each
/// destination (its identity, then the bytes) is computed as the bytes go by.
/// </summary>
internal sealed class ValueWriter : IBufferWriter<byte>, IDisposable
{
    private const int FlushAt = 1 << 20;
    private readonly BlobFiles _blobs;
    private readonly XxHash128[] _hashes;
    private byte[] _buffer;
    private int _used;
    private long _length;
    private FileStream? _file;
    private string? _name;

    /// <param name="blobs">Where large values go.</param>
    /// <param name="identities">What the value is the value of, once per place it is kept (a checkpoint, a cache entry).</param>
    public ValueWriter(BlobFiles blobs, params byte[][] identities)
    {
        _blobs = blobs;
        _hashes = new XxHash128[identities.Length];
        for (var i = 0; i < identities.Length; i++)
        {
            _hashes[i] = new XxHash128();
            _hashes[i].Append(identities[i]);
            _hashes[i].Append([0]);
        }

        _buffer = ArrayPool<byte>.Shared.Rent(4096);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _used);
        var written = _buffer.AsSpan(_used, count);
        foreach (var hash in _hashes)
        {
            hash.Append(written);
        }

        _used += count;
        _length += count;
        if (_file is not null && _used >= FlushAt)
        {
            Flush();
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_used);
    }

    /// <summary>
    /// The value as stored, once per identity given: inline bytes, or the file (the first identity's)
    /// and copies of it for the others (each entry owns its file, so deleting one keeps the other).
    /// </summary>
    public StoredValue[] Complete()
    {
        var values = new StoredValue[_hashes.Length];
        if (_file is null)
        {
            var bytes = _buffer.AsSpan(0, _used).ToArray();
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = new StoredValue(_length, _hashes[i].GetCurrentHash(), bytes, null);
            }

            return values;
        }

        Flush();
        _file.Dispose();
        _file = null;
        for (var i = 0; i < values.Length; i++)
        {
            var name = i == 0 ? _name! : _blobs.Copy(_name!);
            values[i] = new StoredValue(_length, _hashes[i].GetCurrentHash(), null, name);
        }

        _name = null;
        return values;
    }

    /// <summary>Returns the buffer; a file left unfinished (the codec or the disk failed) is deleted.</summary>
    public void Dispose()
    {
        if (_file is not null)
        {
            _file.Dispose();
            _file = null;
        }

        if (_name is not null)
        {
            _blobs.Delete(_name);
            _name = null;
        }

        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Reserve(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _used >= needed)
        {
            return;
        }

        if (_file is null && _length + needed >= BlobFiles.InlineLimit)
        {
            (_file, _name) = _blobs.Create();
        }

        if (_file is not null)
        {
            Flush();
            if (_buffer.Length >= needed)
            {
                return;
            }
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed + _used, Math.Min(_buffer.Length * 2, Math.Max(FlushAt, needed + _used))));
        _buffer.AsSpan(0, _used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private void Flush()
    {
        if (_used > 0)
        {
            _file!.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
