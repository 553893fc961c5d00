using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flows.Cluster.Hosting;
using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// A local cluster lets in only who shows its certificate: not a client, not a TLS peer without it,
/// not another user of this machine; and its workers get the certificate without it being on their
/// command lines or in their environments. Real clusters on loopback; every wait is bounded.
/// </summary>
public sealed class LocalClusterAuthTests
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    [Fact]
    public async Task A_client_without_the_cluster_certificate_is_refused_and_one_with_it_runs_flows()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var g = new TestGraph("auth");
        var graph = g.Build(g.Task(Tasks.Add, g.Constant(2), g.Constant(3)));
        Assert.Equal(5, (await FlowRunner.RunAsync<int>(graph, executor, []).WaitAsync(Patience)).Result);
        var (port, clusterId) = executor.LocalGateway!.Value;

        // The flow process's own certificate lets a second client in.
        Assert.NotNull(executor.LocalTls);
        await using (var client = await ClusterExecutor.ConnectAsync(new ClusterConnectOptions { Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, Tls = executor.LocalTls }))
        {
            Assert.Equal(5, (await FlowRunner.RunAsync<int>(graph, client, []).WaitAsync(Patience)).Result);
        }

        // Without a certificate, or with another one, the connection fails within its timeout.
        var started = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<Exception>(() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
        {
            Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(5),
        }).WaitAsync(Patience));
        using var stranger = Cluster.Client.LocalClusterCertificate.Create("stranger");
        await Assert.ThrowsAnyAsync<Exception>(() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
        {
            Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(5),
            Tls = new ClusterTlsOptions { Certificate = stranger },
        }).WaitAsync(Patience));
        Assert.InRange(started.Elapsed, TimeSpan.Zero, Patience);
    }

    [Fact]
    public async Task Every_silo_port_of_the_cluster_closes_a_TLS_peer_without_the_certificate()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var local = executor.Local!;
        var ports = new List<int> { local.SiloPort, local.GatewayPort };
        ports.AddRange(executor.WorkerProcesses.Keys.Select(key => int.Parse(key.Split('@')[0].Split(':')[^1], CultureInfo.InvariantCulture)));
        Assert.Equal(3, ports.Count);
        using var stranger = Cluster.Client.LocalClusterCertificate.Create("stranger");

        foreach (var port in ports)
        {
            // The silo shows the cluster's certificate...
            var shown = await HandshakeAsync(port, executor.LocalTls!.Certificate);
            Assert.Equal(executor.LocalTls.Certificate.RawData, shown.Certificate!.RawData);
            shown.Stream.Dispose();

            // ...and drops a peer that shows none, or another one, before a byte of Orleans.
            foreach (var certificate in new[] { null, stranger })
            {
                Assert.True(await IsDroppedAsync(port, certificate), $"port {port} kept a TLS peer with {(certificate is null ? "no certificate" : "another certificate")}");
            }
        }
    }

    [Fact]
    public async Task The_certificate_is_not_on_any_worker_command_line_nor_in_its_environment()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var certificate = executor.LocalTls!.Certificate;
        var secrets = new[]
        {
            Convert.ToBase64String(certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey()),
            Convert.ToBase64String(certificate.RawData),
            StdinCertificate.Prefix.Trim(),
            "FLOWS_TLS_PASSWORD",
            "--tls-certificate",
            ".pfx",
        };
        Assert.Equal(2, executor.WorkerProcesses.Count);

        foreach (var pid in executor.WorkerProcesses.Values)
        {
            var commandLine = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
            var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/environ")).Replace('\0', '\n');

            // The right processes: local cluster workers that got their certificate on stdin.
            Assert.Contains("--tls-from-stdin", commandLine, StringComparison.Ordinal);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, commandLine, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, environment, StringComparison.Ordinal);
            }
        }
    }

    [SkippableFact]
    public async Task Another_user_of_this_machine_cannot_connect_to_a_local_cluster_but_could_to_one_without_authentication()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs Linux (setpriv)");
        Skip.IfNot(Environment.UserName == "root", $"needs root to run a process as nobody (runs as {Environment.UserName})");
        Skip.IfNot(File.Exists("/usr/bin/setpriv"), "needs /usr/bin/setpriv (util-linux)");

        // The control: without authentication, nobody gets in (the hole this closes).
        await using (var open = await ClusterExecutor.StartLocalAsync(workers: 1, new LocalClusterOptions { Authenticate = false }))
        {
            var (port, clusterId) = open.LocalGateway!.Value;
            var (code, output) = await ProbeAsNobodyAsync(port, clusterId);
            Assert.True(code == 0 && output.Contains(ProbeCommand.ConnectedLine, StringComparison.Ordinal), $"the probe as nobody did not connect to an unauthenticated cluster (exit {code}): {output}");
        }

        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        {
            var (port, clusterId) = executor.LocalGateway!.Value;
            var (code, output) = await ProbeAsNobodyAsync(port, clusterId);
            Assert.True(code == 1 && output.Contains(ProbeCommand.RefusedLine, StringComparison.Ordinal), $"the probe as nobody was not refused (exit {code}): {output}");
        }
    }

    /// <summary>Runs <c>dotnet Flows.Cluster.dll probe</c> as nobody against a gateway; its exit code and output.</summary>
    private static async Task<(int Code, string Output)> ProbeAsNobodyAsync(int port, string clusterId)
    {
        var start = new ProcessStartInfo("/usr/bin/setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet", "exec", Path.Combine(AppContext.BaseDirectory, "Flows.Cluster.dll"),
            ProbeCommand.Name, "--gateway", $"127.0.0.1:{port}", "--cluster-id", clusterId, "--timeout-ms", "5000",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HOME"] = Path.GetTempPath();
        start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Patience);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output + await error);
    }

    private static async Task<(SslStream Stream, X509Certificate2? Certificate)> HandshakeAsync(int port, X509Certificate2? certificate)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Patience);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "flows",
            ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        }).WaitAsync(Patience);
        return (tls, tls.RemoteCertificate is { } remote ? X509CertificateLoader.LoadCertificate(remote.GetRawCertData()) : null);
    }

    /// <summary>Whether the silo at <paramref name="port"/> ends a TLS connection that shows <paramref name="certificate"/> (an alert, a reset or the end of the stream).</summary>
    private static async Task<bool> IsDroppedAsync(int port, X509Certificate2? certificate)
    {
        SslStream tls;
        try
        {
            (tls, _) = await HandshakeAsync(port, certificate);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return true;
        }

        using (tls)
        {
            // Under TLS 1.3 the server judges the client's certificate after the client's handshake
            // completed: its verdict is the next thing it sends.
            try
            {
                var buffer = new byte[1];
                return await tls.ReadAsync(buffer).AsTask().WaitAsync(Patience) == 0;
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException)
            {
                return true;
            }
        }
    }
}
