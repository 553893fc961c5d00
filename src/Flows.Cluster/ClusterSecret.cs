using System.Security.Cryptography;

namespace Flows;

/// <summary>
/// A random key that the silos and clients of one cluster on one machine share: each connection
/// starts with both ends proving they hold it (a challenge and response, HMAC-SHA256 over fresh
/// nonces), and an end that cannot is dropped before a byte of Orleans is read. It authenticates;
/// it does not encrypt, so it is for loopback only, where no other user can read or inject into a
/// connection. A local cluster makes one for itself (see <see cref="LocalClusterOptions.Authenticate"/>);
/// across machines use <see cref="ClusterTlsOptions"/>.
/// </summary>
public sealed class ClusterSecret
{
    /// <summary>The key's length in bytes (256 bits).</summary>
    internal const int Length = 32;

    private readonly byte[] _key;

    private ClusterSecret(byte[] key) => _key = key;

    /// <summary>A new secret from the operating system's cryptographic random source.</summary>
    public static ClusterSecret Create() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>The key, for the handshake and for handing it to a worker over its stdin.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    internal static ClusterSecret FromKey(ReadOnlySpan<byte> key) =>
        key.Length == Length ? new ClusterSecret(key.ToArray()) : throw new ArgumentException($"a cluster secret is {Length} bytes, not {key.Length}.");

    /// <summary>Never the key itself, so a secret that reaches a log says nothing.</summary>
    public override string ToString() => "ClusterSecret (not shown)";
}
