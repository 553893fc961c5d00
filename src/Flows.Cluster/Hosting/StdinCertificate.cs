using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flows.Cluster.Hosting;

/// <summary>
/// How a local cluster hands its certificate to a worker started with <c>--tls-from-stdin</c>: the
/// first line the worker reads from its stdin, a pipe only the flow process holds, is
/// <c>tls-pfx BASE64</c> (the certificate with its private key, PKCS#12, no password). The secret is
/// never on a command line (which every local user can read in /proc), in the environment or in a file.
/// </summary>
internal static class StdinCertificate
{
    public const string Prefix = "tls-pfx ";

    /// <summary>The line that carries <paramref name="certificate"/>.</summary>
    public static string Line(X509Certificate2 certificate)
    {
        var pfx = certificate.Export(X509ContentType.Pfx);
        try
        {
            return Prefix + Convert.ToBase64String(pfx);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }

    public const string Option = "--tls-from-stdin";

    /// <summary>Reads the certificate line from <paramref name="input"/>; ArgumentException naming what is wrong otherwise.</summary>
    public static X509Certificate2 Read(TextReader input)
    {
        var payload = StdinLine.ReadPayload(input, Option, Prefix, "certificate");
        byte[] pfx;
        try
        {
            pfx = Convert.FromBase64String(payload);
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{Option}: the certificate line is not base64.");
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12(pfx, password: null);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"{Option}: the certificate line holds no usable PKCS#12 certificate ({ex.Message}).");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pfx);
        }
    }
}
