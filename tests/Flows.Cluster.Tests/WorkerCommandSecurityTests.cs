using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Flows.Cluster.Hosting;

namespace Flows.Cluster.Tests;

/// <summary>
/// What the worker command refuses: listening on the network without TLS (unless --insecure), loading
/// assemblies by path unless told, and a certificate line on stdin that is not one.
/// </summary>
public sealed class WorkerCommandSecurityTests
{
    private static readonly string Assembly = typeof(WorkerCommandSecurityTests).Assembly.Location;

    [Fact]
    public void A_worker_on_a_non_loopback_address_without_TLS_is_refused_naming_the_ways_out()
    {
        var error = Assert.Throws<ArgumentException>(() => WorkerLaunch.Parse(
            ["--assembly", Assembly, "--primary", "10.1.2.3:11111", "--advertise", "10.1.2.3"]));

        Assert.Contains("without TLS", error.Message, StringComparison.Ordinal);
        Assert.Contains("--tls-certificate", error.Message, StringComparison.Ordinal);
        Assert.Contains("--advertise 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Contains("--insecure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_on_a_non_loopback_address_runs_with_insecure_and_one_on_loopback_needs_nothing()
    {
        var insecure = WorkerLaunch.Parse(["--assembly", Assembly, "--primary", "10.1.2.3:11111", "--advertise", "10.1.2.3", "--insecure"]);
        var loopback = WorkerLaunch.Parse(["--assembly", Assembly, "--redis", "127.0.0.1:6379", "--advertise", "127.0.0.1"]);

        Assert.Null(insecure.Silo.Tls);
        Assert.Null(loopback.Silo.Tls);
    }

    [Fact]
    public void A_worker_started_with_assemblies_does_not_load_by_path_unless_told()
    {
        var strict = WorkerLaunch.Parse(["--assembly", Assembly, "--redis", "127.0.0.1:6379", "--advertise", "127.0.0.1"]);
        var local = WorkerLaunch.Parse(["--allow-load-by-path", "--redis", "127.0.0.1:6379", "--advertise", "127.0.0.1"]);

        Assert.False(strict.Settings.AllowLoadByPath);
        Assert.True(local.Settings.AllowLoadByPath);
    }

    [Fact]
    public void A_local_cluster_worker_reads_its_certificate_from_the_first_line_on_stdin()
    {
        using var certificate = TestCertificates.Create("flows-test");
        var stdin = new StringReader(StdinCertificate.Line(certificate) + "\njoin\n");

        var launch = WorkerLaunch.Parse(["--allow-load-by-path", "--tls-from-stdin", "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1"], stdin);

        Assert.Equal(certificate.RawData, launch.Silo.Tls!.Certificate.RawData);
        Assert.True(launch.Silo.Tls.Certificate.HasPrivateKey);
        Assert.Equal("join", stdin.ReadLine());
    }

    [Theory]
    [InlineData("")]
    [InlineData("join")]
    [InlineData("tls-pfx not-base64!")]
    [InlineData("tls-pfx AAAA")]
    public void A_certificate_line_that_is_not_one_is_refused_saying_what_is_wrong(string line)
    {
        var stdin = new StringReader(line.Length == 0 ? string.Empty : line + "\n");

        var error = Assert.Throws<ArgumentException>(() => WorkerLaunch.Parse(
            ["--allow-load-by-path", "--tls-from-stdin", "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1"], stdin));

        Assert.StartsWith("--tls-from-stdin:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_cluster_worker_reads_its_secret_from_the_first_line_on_stdin()
    {
        var secret = ClusterSecret.Create();
        var stdin = new StringReader(StdinSecret.Line(secret) + "\njoin\n");

        var launch = WorkerLaunch.Parse(["--allow-load-by-path", StdinSecret.Option, "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1"], stdin);

        Assert.Equal(secret.Key.ToArray(), launch.Silo.Secret!.Key.ToArray());
        Assert.Null(launch.Silo.Tls);
        Assert.Equal("join", stdin.ReadLine());
    }

    [Theory]
    [InlineData("")]
    [InlineData("join")]
    [InlineData("cluster-secret not-base64!")]
    [InlineData("cluster-secret AAAA")]
    public void A_secret_line_that_is_not_one_is_refused_saying_what_is_wrong(string line)
    {
        var stdin = new StringReader(line.Length == 0 ? string.Empty : line + "\n");

        var error = Assert.Throws<ArgumentException>(() => WorkerLaunch.Parse(
            ["--allow-load-by-path", StdinSecret.Option, "--primary", "127.0.0.1:11111", "--advertise", "127.0.0.1"], stdin));

        Assert.StartsWith(StdinSecret.Option + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_is_refused_for_a_worker_on_the_network_because_it_does_not_encrypt()
    {
        var stdin = new StringReader(StdinSecret.Line(ClusterSecret.Create()) + "\n");

        var error = Assert.Throws<ArgumentException>(() => WorkerLaunch.Parse(
            ["--allow-load-by-path", StdinSecret.Option, "--primary", "10.1.2.3:11111", "--advertise", "10.1.2.3", "--insecure"], stdin));

        Assert.Contains("does not encrypt", error.Message, StringComparison.Ordinal);
        Assert.Contains("--advertise 127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_secret_is_refused_for_gateways_off_loopback()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
        {
            Gateways = ["10.1.2.3:30000"], Secret = ClusterSecret.Create(), ConnectTimeout = TimeSpan.FromSeconds(1),
        }));

        Assert.Contains("does not encrypt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_test_certificate_is_short_lived_ECDSA_for_client_and_server_authentication()
    {
        using var certificate = TestCertificates.Create("flows-local-x");

        Assert.NotNull(certificate.GetECDsaPrivateKey());
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(1), TimeSpan.FromDays(8));
        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
        Assert.Contains("1.3.6.1.5.5.7.3.1", usages);
        Assert.Contains("1.3.6.1.5.5.7.3.2", usages);
    }
}
