using System.IO.Hashing;

namespace Flows.Storage;

/// <summary>
/// Where one stored value lives (inline bytes, or a file under the store's <c>blobs/</c> folder) and
/// what its bytes must be: their length and XxHash128. Reading checks both, so a value that was
/// damaged, truncated or only half written reads as missing, never as other bytes.
/// </summary>
internal sealed class StoredValue
{
    public StoredValue(long length, byte[] checksum, byte[]? inline, string? blob)
    {
        Length = length;
        Checksum = checksum;
        Inline = inline;
        Blob = blob;
    }

    public long Length { get; }

    public byte[] Checksum { get; }

    public byte[]? Inline { get; }

    public string? Blob { get; }

    public static byte[] ChecksumOf(ReadOnlySpan<byte> bytes) => XxHash128.Hash(bytes);

    /// <summary>
    /// The value's bytes, or null (with <paramref name="problem"/> saying why) when they are missing
    /// or are not the bytes that were stored.
    /// </summary>
    public byte[]? TryRead(BlobFiles blobs, out string? problem)
    {
        byte[]? bytes;
        if (Blob is null)
        {
            bytes = Inline;
        }
        else
        {
            bytes = blobs.TryRead(Blob, Length, out problem);
            if (bytes is null)
            {
                return null;
            }
        }

        if (bytes is null || bytes.Length != Length)
        {
            problem = $"its value has {bytes?.Length ?? 0} bytes where {Length} were stored";
            return null;
        }

        if (!ChecksumOf(bytes).AsSpan().SequenceEqual(Checksum))
        {
            problem = "its bytes do not match their checksum (the store was damaged)";
            return null;
        }

        problem = null;
        return bytes;
    }
}
