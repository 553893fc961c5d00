using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flows.Cluster.Tests;

/// <summary>
/// The certificate a local cluster makes for itself when it starts: self-signed, ECDSA P-256, made
/// in memory and never written to disk. The silo in the flow process and every worker show it
/// (mutual TLS) and accept only a peer that shows the very same one, so a program of another user
/// that finds the cluster's ports cannot join it or connect to it.
/// </summary>
internal static class TestCertificates
{
    /// <summary>
    /// How long the certificate is valid. Peers compare certificates byte for byte rather than checking
    /// dates (see <see cref="ClusterTlsOptions.Accepts"/>), so a cluster that outlives it keeps working;
    /// a short validity only limits what a stolen copy says about itself.
    /// </summary>
    private static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    public static X509Certificate2 Create(string clusterId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={clusterId}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: false));

        // Server and client authentication: every silo is both.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);

        // Exported and loaded again, so that SslStream can use the private key on every platform.
        var pfx = made.Export(X509ContentType.Pfx);
        try
        {
            return X509CertificateLoader.LoadPkcs12(pfx, password: null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }
}
