using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;

namespace Flows.Cluster.Security;

/// <summary>
/// The first bytes of every connection of a cluster that shares a <see cref="ClusterSecret"/>: both
/// ends send a magic and a fresh nonce, then an HMAC-SHA256 under the secret of their role and both
/// nonces, and each checks the other's. A peer without the secret (another user's program that found
/// the loopback ports, a plain Orleans client, a TLS client) fails the check or the magic and is cut
/// off; a peer that says nothing is cut off after <see cref="Deadline"/>. After the handshake the
/// bytes flow as they are: on loopback no other user can read or inject into an established
/// connection, so there is nothing left to protect per byte (and nothing to pay per byte, unlike TLS).
/// </summary>
internal static class SecretHandshake
{
    /// <summary>"FLOWSK" and the handshake's version; a peer speaking anything else is not one of ours.</summary>
    private static ReadOnlySpan<byte> Magic => "FLOWSK01"u8;

    private const int NonceLength = 32;

    private const int HelloLength = 8 + NonceLength;

    private const int ProofLength = 32;

    /// <summary>How long a peer has to complete the handshake.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Which end of the connection this is: the two ends' proofs differ so that one cannot be reflected as the other.</summary>
    public enum Role : byte
    {
        Accepting = 1,
        Connecting = 2,
    }

    /// <summary>
    /// Runs the handshake on <paramref name="transport"/>; returns normally when the peer proved the
    /// secret, leaving every byte after its proof unread for the next reader.
    /// </summary>
    /// <exception cref="HandshakeRefusedException">The peer did not prove the secret; the reason says how.</exception>
    public static async Task RunAsync(IDuplexPipe transport, ClusterSecret secret, Role role, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        var limit = within ?? Deadline;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceLength);
            var hello = new byte[HelloLength];
            Magic.CopyTo(hello);
            nonce.CopyTo(hello, Magic.Length);
            await transport.Output.WriteAsync(hello, deadline.Token).ConfigureAwait(false);

            var peerHello = await ReadExactlyAsync(transport.Input, HelloLength, deadline.Token).ConfigureAwait(false);
            if (!peerHello.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                throw new HandshakeRefusedException("the peer did not open with the Flows cluster handshake (it is not a Flows silo or client of a cluster with a secret, or a different version)");
            }

            var peerNonce = peerHello.AsSpan(Magic.Length).ToArray();
            if (CryptographicOperations.FixedTimeEquals(peerNonce, nonce))
            {
                // Only a peer that echoes our own hello sends our nonce back: a reflection.
                throw new HandshakeRefusedException("the peer sent back this end's own nonce");
            }

            var other = role == Role.Accepting ? Role.Connecting : Role.Accepting;
            await transport.Output.WriteAsync(Proof(secret, role, nonce, peerNonce), deadline.Token).ConfigureAwait(false);
            var peerProof = await ReadExactlyAsync(transport.Input, ProofLength, deadline.Token).ConfigureAwait(false);
            if (!CryptographicOperations.FixedTimeEquals(peerProof, Proof(secret, other, peerNonce, nonce)))
            {
                throw new HandshakeRefusedException("the peer does not hold this cluster's secret");
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HandshakeRefusedException($"the peer did not complete the handshake within {limit.TotalSeconds:0.###} s");
        }
        catch (IOException ex)
        {
            // A reset: the peer gave up, or refused this end first.
            throw new HandshakeRefusedException($"the connection closed during the handshake ({ex.Message})");
        }
    }

    /// <summary>HMAC-SHA256 under the secret of the sender's role, the sender's nonce and the receiver's.</summary>
    private static byte[] Proof(ClusterSecret secret, Role sender, ReadOnlySpan<byte> senderNonce, ReadOnlySpan<byte> receiverNonce)
    {
        Span<byte> message = stackalloc byte[1 + NonceLength + NonceLength];
        message[0] = (byte)sender;
        senderNonce.CopyTo(message[1..]);
        receiverNonce.CopyTo(message[(1 + NonceLength)..]);
        return HMACSHA256.HashData(secret.Key, message);
    }

    /// <summary>Exactly <paramref name="count"/> bytes from <paramref name="input"/>, consuming no more.</summary>
    private static async Task<byte[]> ReadExactlyAsync(PipeReader input, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                var bytes = buffer.Slice(0, count).ToArray();
                input.AdvanceTo(buffer.GetPosition(count));
                return bytes;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                throw new HandshakeRefusedException($"the peer closed the connection after {buffer.Length} of the handshake's {count} bytes");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
