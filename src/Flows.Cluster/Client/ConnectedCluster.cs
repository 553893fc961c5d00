using Microsoft.Extensions.Logging;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Flows.Cluster.Hosting;
using Flows.Cluster.Security;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Flows.Cluster.Client;

/// <summary>A running cluster this flow process joined as an Orleans client (static gateways or Redis membership).</summary>
internal sealed class ConnectedCluster : IClusterBackend
{
    private readonly IHost _client;

    private ConnectedCluster(IHost client)
    {
        _client = client;
        Grains = client.Services.GetRequiredService<IClusterClient>();
    }

    public IGrainFactory Grains { get; }

    // Membership tells of deaths here; there is no first-hand news of a process exit.
#pragma warning disable CS0067 // The events are part of the backend contract; this backend never raises them.
    public event Action<string, string>? WorkerDied;

    public event Action? WorkersChanged;

    /// <summary>Worker processes of a connected cluster run elsewhere: only pings and membership tell.</summary>
    public bool? IsWorkerProcessAlive(string key) => null;
#pragma warning restore CS0067

    public static async Task<ConnectedCluster> ConnectAsync(ClusterConnectOptions options, CancellationToken cancellationToken)
    {
        if (options.Redis is null && options.Gateways.Count == 0)
        {
            throw new ArgumentException("ClusterConnectOptions needs Gateways (host:port of the workers' gateways) or Redis (the membership's connection string).", nameof(options));
        }

        var gateways = new List<IPEndPoint>();
        foreach (var gateway in options.Gateways)
        {
            gateways.Add(Resolve(gateway));
        }

        if (options.Secret is not null)
        {
            if (options.Tls is not null || options.Redis is not null || gateways.Exists(g => !IPAddress.IsLoopback(g.Address)))
            {
                throw new ArgumentException(
                    "ClusterConnectOptions.Secret is for a local cluster's loopback gateways (static Gateways on 127.0.0.1, no Redis, no Tls): " +
                    "a secret proves who connects but does not encrypt. Across machines, use Tls.", nameof(options));
            }
        }

        var builder = new HostBuilder();
        builder.ConfigureLogging(logging => logging.ClearProviders());
        builder.ConfigureServices(services => services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>());
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            });
            client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = int.MaxValue);
            if (options.Redis is { } redis)
            {
                client.UseRedisClustering(redis);
            }
            else
            {
                client.UseStaticClustering(gateways.ToArray());
            }

            if (options.Secret is { } secret)
            {
                client.UseSecret(secret);
            }

            if (options.Tls is { } tls)
            {
                client.UseTls(tls.Certificate, o =>
                {
                    o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                    o.RemoteCertificateValidation = (certificate, _, errors) => tls.Accepts(certificate, errors);
                    o.OnAuthenticateAsClient = (_, authentication) => authentication.TargetHost = "flows-cluster";
                });
            }
        });
        var host = builder.Build();
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(options.ConnectTimeout);
            await host.StartAsync(limit.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            host.Dispose();
            var where = options.Redis is null ? "gateways " + string.Join(", ", options.Gateways) : "the Redis membership at " + options.Redis;
            throw new InvalidOperationException($"Could not connect to the Flows cluster '{options.ClusterId}' through {where}: {ex.GetBaseException().Message}. Check that workers run with the same --cluster-id and --service-id, and that TLS (or a local cluster's secret) is set alike on both sides.", ex);
        }

        return new ConnectedCluster(host);
    }

    private static IPEndPoint Resolve(string gateway)
    {
        if (IPEndPoint.TryParse(gateway, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        var colon = gateway.LastIndexOf(':');
        if (colon > 0 && int.TryParse(gateway.AsSpan(colon + 1), out var port))
        {
            var addresses = Dns.GetHostAddresses(gateway[..colon]);
            if (addresses.Length > 0)
            {
                return new IPEndPoint(addresses[0], port);
            }
        }

        throw new ArgumentException($"Gateway '{gateway}' is not host:port.");
    }

    public Task<IReadOnlyList<string>> ListWorkersAsync(CancellationToken cancellationToken) =>
        MembershipReader.ActiveWorkersAsync(Grains, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.StopAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
    }
}
