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

    /// <summary>
    /// The checksum of a value's bytes together with what it is the value of (<paramref name="identity"/>:
    /// its run, node, element and task code, or its cache key), so that a damaged row that names another
    /// element or task fails the check too instead of handing over another value.
    /// </summary>
    public static byte[] ChecksumOf(ReadOnlySpan<byte> identity, ReadOnlySpan<byte> bytes)
    {
        var hash = new XxHash128();
        hash.Append(identity);
        hash.Append([0]);
        hash.Append(bytes);
        return hash.GetCurrentHash();
    }

    /// <summary>The identity a checkpoint's checksum covers.</summary>
    public static byte[] CheckpointIdentity(string runId, string node, int element, string taskId, string? codeHash) =>
        System.Text.Encoding.UTF8.GetBytes($"{runId}\n{node}\n{element.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{taskId}\n{codeHash}");

    /// <summary>
    /// The value's bytes (checked against <paramref name="identity"/>, what it must be the value of), or null (with <paramref name="problem"/> saying why) when they are missing
    /// or are not the bytes that were stored.
    /// </summary>
    public byte[]? TryRead(BlobFiles blobs, ReadOnlySpan<byte> identity, out string? problem)
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

        if (!ChecksumOf(identity, bytes).AsSpan().SequenceEqual(Checksum))
        {
            problem = "its bytes do not match their checksum (the store was damaged)";
            return null;
        }

        problem = null;
        return bytes;
    }
}
