using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Flows;

/// <summary>
/// TLS for every connection of a cluster: silo to silo and client to silo, with both ends showing a
/// certificate (mutual TLS). A cluster usually shares one certificate (a Kubernetes Secret, say):
/// by default a peer is accepted when it shows that same certificate.
/// </summary>
public sealed class ClusterTlsOptions
{
    /// <summary>The certificate this end presents; it must carry its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>
    /// Also accept peers whose certificate chains to a root this machine trusts, not only peers with
    /// <see cref="Certificate"/> itself. Off by default.
    /// </summary>
    public bool AcceptTrustedChains { get; init; }

    /// <summary>Whether a peer's certificate is acceptable under these options.</summary>
    internal bool Accepts(X509Certificate2? peer, SslPolicyErrors errors)
    {
        if (peer is null)
        {
            return false;
        }

        if (peer.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span))
        {
            return true;
        }

        return AcceptTrustedChains && errors == SslPolicyErrors.None;
    }
}
