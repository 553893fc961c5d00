using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Flows.Cluster.Security;

namespace Flows.Cluster.Tests;

/// <summary>
/// The handshake every connection of a local cluster starts with, over in-memory pipes: both ends
/// with the secret pass and the bytes after it reach the next reader untouched; a wrong secret, a
/// reflected hello, a silent or a vanishing peer are refused with the reason.
/// </summary>
public sealed class SecretHandshakeTests
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    [Fact]
    public async Task Two_ends_with_the_same_secret_pass_and_what_follows_the_handshake_arrives_intact()
    {
        var secret = ClusterSecret.Create();
        var (accepting, connecting) = Connection();

        var accepted = SecretHandshake.RunAsync(accepting, secret, SecretHandshake.Role.Accepting, CancellationToken.None);
        var connected = SecretHandshake.RunAsync(connecting, secret, SecretHandshake.Role.Connecting, CancellationToken.None);
        await Task.WhenAll(accepted, connected).WaitAsync(Patience);

        // Orleans' first bytes come right behind the proof, possibly in the same read: none may be lost.
        await connecting.Output.WriteAsync("orleans preamble"u8.ToArray());
        var read = await accepting.Input.ReadAtLeastAsync(16).AsTask().WaitAsync(Patience);
        Assert.Equal("orleans preamble", Encoding.ASCII.GetString(read.Buffer.Slice(0, 16).ToArray()));
    }

    [Fact]
    public async Task Ends_with_different_secrets_both_refuse_saying_the_peer_lacks_the_secret()
    {
        var (accepting, connecting) = Connection();

        var accepted = SecretHandshake.RunAsync(accepting, ClusterSecret.Create(), SecretHandshake.Role.Accepting, CancellationToken.None);
        var connected = SecretHandshake.RunAsync(connecting, ClusterSecret.Create(), SecretHandshake.Role.Connecting, CancellationToken.None);

        foreach (var end in new[] { accepted, connected })
        {
            var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() => end.WaitAsync(Patience));
            Assert.Contains("does not hold this cluster's secret", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_peer_that_is_not_a_Flows_end_is_refused_on_its_first_bytes()
    {
        var (accepting, stranger) = Connection();
        var accepted = SecretHandshake.RunAsync(accepting, ClusterSecret.Create(), SecretHandshake.Role.Accepting, CancellationToken.None);

        // What a plain Orleans client or a TLS client would send first: not the magic.
        await stranger.Output.WriteAsync(new byte[64]);

        var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() => accepted.WaitAsync(Patience));
        Assert.Contains("did not open with the Flows cluster handshake", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_reflects_the_hello_back_is_refused()
    {
        var (accepting, attacker) = Connection();
        var accepted = SecretHandshake.RunAsync(accepting, ClusterSecret.Create(), SecretHandshake.Role.Accepting, CancellationToken.None);

        var hello = await attacker.Input.ReadAtLeastAsync(40).AsTask().WaitAsync(Patience);
        await attacker.Output.WriteAsync(hello.Buffer.Slice(0, 40).ToArray());

        var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() => accepted.WaitAsync(Patience));
        Assert.Contains("own nonce", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_peer_is_refused_at_the_deadline_and_one_that_leaves_midway_at_once()
    {
        var (accepting, _) = Connection();
        var silent = await Assert.ThrowsAsync<HandshakeRefusedException>(() =>
            SecretHandshake.RunAsync(accepting, ClusterSecret.Create(), SecretHandshake.Role.Accepting, CancellationToken.None, within: TimeSpan.FromMilliseconds(200)).WaitAsync(Patience));
        Assert.Contains("within 0.2 s", silent.Message, StringComparison.Ordinal);

        var (other, leaving) = Connection();
        var accepted = SecretHandshake.RunAsync(other, ClusterSecret.Create(), SecretHandshake.Role.Accepting, CancellationToken.None);
        await leaving.Output.WriteAsync("FLOWSK01"u8.ToArray());
        await leaving.Output.CompleteAsync();
        var left = await Assert.ThrowsAsync<HandshakeRefusedException>(() => accepted.WaitAsync(Patience));
        Assert.Contains("closed the connection after 8 of the handshake's 40 bytes", left.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_never_shows_its_key_as_text()
    {
        var secret = ClusterSecret.Create();

        Assert.DoesNotContain(Convert.ToBase64String(secret.Key), secret.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(Convert.ToBase64String(secret.Key), Convert.ToBase64String(ClusterSecret.Create().Key));
    }

    /// <summary>Two ends of an in-memory connection.</summary>
    private static (IDuplexPipe A, IDuplexPipe B) Connection()
    {
        var toA = new Pipe();
        var toB = new Pipe();
        return (new End(toA.Reader, toB.Writer), new End(toB.Reader, toA.Writer));
    }

    private sealed record End(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
