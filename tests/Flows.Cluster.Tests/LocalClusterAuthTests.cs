using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.IO.Pipelines;
using System.Text;
using Flows.Cluster.Hosting;
using Flows.Cluster.Security;
using Flows.Graph;

namespace Flows.Cluster.Tests;

/// <summary>
/// A local cluster lets in only who proves its secret: not a client without it or with another, not
/// a TLS peer, not another user of this machine; and its workers get the secret without it being on
/// their command lines or in their environments. Real clusters on loopback; every wait is bounded.
/// </summary>
public sealed class LocalClusterAuthTests
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    [Fact]
    public async Task A_client_without_the_cluster_secret_is_refused_and_one_with_it_runs_flows()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var g = new TestGraph("auth");
        var graph = g.Build(g.Task(Tasks.Add, g.Constant(2), g.Constant(3)));
        Assert.Equal(5, (await FlowRunner.RunAsync<int>(graph, executor, []).WaitAsync(Patience)).Result);
        var (port, clusterId) = executor.LocalGateway!.Value;

        // The flow process's own secret lets a second client in.
        Assert.NotNull(executor.LocalSecret);
        await using (var client = await ClusterExecutor.ConnectAsync(new ClusterConnectOptions { Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, Secret = executor.LocalSecret }))
        {
            Assert.Equal(5, (await FlowRunner.RunAsync<int>(graph, client, []).WaitAsync(Patience)).Result);
        }

        // Without a secret, with another one, or with TLS instead, the connection fails within its timeout.
        var started = Stopwatch.StartNew();
        using var stranger = TestCertificates.Create("stranger");
        foreach (var (secret, tls) in new (ClusterSecret?, ClusterTlsOptions?)[] { (null, null), (ClusterSecret.Create(), null), (null, new ClusterTlsOptions { Certificate = stranger }) })
        {
            await Assert.ThrowsAnyAsync<Exception>(() => ClusterExecutor.ConnectAsync(new ClusterConnectOptions
            {
                Gateways = [$"127.0.0.1:{port}"], ClusterId = clusterId, ConnectTimeout = TimeSpan.FromSeconds(5), Secret = secret, Tls = tls,
            }).WaitAsync(Patience));
        }

        Assert.InRange(started.Elapsed, TimeSpan.Zero, Patience);
    }

    [Fact]
    public async Task Every_silo_port_of_the_cluster_drops_a_peer_without_the_secret_before_a_byte_of_Orleans()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var local = executor.Local!;
        var ports = new List<int> { local.SiloPort, local.GatewayPort };
        ports.AddRange(executor.WorkerProcesses.Keys.Select(key => int.Parse(key.Split('@')[0].Split(':')[^1], CultureInfo.InvariantCulture)));
        Assert.Equal(3, ports.Count);

        foreach (var port in ports)
        {
            // The port speaks the handshake and accepts the cluster's secret...
            using (var tcp = await ConnectAsync(port))
            {
                await SecretHandshake.RunAsync(Pipe(tcp), executor.LocalSecret!, SecretHandshake.Role.Connecting, CancellationToken.None).WaitAsync(Patience);
            }

            // ...and drops a peer with another secret, or one that speaks something else, sending nothing more than its hello.
            using (var tcp = await ConnectAsync(port))
            {
                // Either this end sees the silo's proof fail, or the silo's reset (it judged this end's proof first) discards it.
                var refused = await Assert.ThrowsAsync<HandshakeRefusedException>(() =>
                    SecretHandshake.RunAsync(Pipe(tcp), ClusterSecret.Create(), SecretHandshake.Role.Connecting, CancellationToken.None).WaitAsync(Patience));
                Assert.True(refused.Message.Contains("does not hold this cluster's secret", StringComparison.Ordinal) || refused.Message.Contains("closed", StringComparison.Ordinal), refused.Message);
                Assert.Equal(0, await ReadToEndAsync(tcp));
            }

            using (var tcp = await ConnectAsync(port))
            {
                // The silo's hello, then zeros where ours belongs: the silo ends the connection (closed or reset) and sends nothing more.
                await tcp.GetStream().ReadExactlyAsync(new byte[40]).AsTask().WaitAsync(Patience);
                await tcp.GetStream().WriteAsync(new byte[40]);
                Assert.Equal(0, await ReadToEndAsync(tcp));
            }

            Assert.True(await IsTlsDroppedAsync(port), $"port {port} kept a TLS client");
        }
    }

    [Fact]
    public async Task The_secret_is_not_on_any_worker_command_line_nor_in_its_environment()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var secrets = new[]
        {
            Convert.ToBase64String(executor.LocalSecret!.Key),
            StdinSecret.Prefix.Trim(),
            "FLOWS_TLS_PASSWORD",
            "--tls-certificate",
            ".pfx",
        };
        Assert.Equal(2, executor.WorkerProcesses.Count);

        foreach (var pid in executor.WorkerProcesses.Values)
        {
            var commandLine = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/cmdline")).Replace('\0', ' ');
            var environment = Encoding.UTF8.GetString(await File.ReadAllBytesAsync($"/proc/{pid}/environ")).Replace('\0', '\n');

            // The right processes: local cluster workers that got their secret on stdin.
            Assert.Contains(StdinSecret.Option, commandLine, StringComparison.Ordinal);
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

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Patience);
        return tcp;
    }

    private static IDuplexPipe Pipe(TcpClient tcp) => new StreamPipe(PipeReader.Create(tcp.GetStream(), new StreamPipeReaderOptions(leaveOpen: true)), PipeWriter.Create(tcp.GetStream(), new StreamPipeWriterOptions(leaveOpen: true)));

    private sealed record StreamPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The bytes the silo sends until it closes the connection (bounded by <see cref="Patience"/>).</summary>
    private static async Task<int> ReadToEndAsync(TcpClient tcp)
    {
        var stream = tcp.GetStream();
        var buffer = new byte[4096];
        var total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience)) > 0)
            {
                total += read;
            }
        }
        catch (IOException)
        {
            // A reset ends the stream as well as a close does.
        }

        return total;
    }

    /// <summary>Whether the silo at <paramref name="port"/> ends a TLS client's connection before any TLS is spoken.</summary>
    private static async Task<bool> IsTlsDroppedAsync(int port)
    {
        using var tcp = await ConnectAsync(port);
        using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: true);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "flows",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }).WaitAsync(Patience);
            return false;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            return true;
        }
    }
}
