using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;

namespace Flows.Cluster.Security;

/// <summary>Puts <see cref="SecretHandshake"/> in front of every connection a silo or client makes or accepts.</summary>
internal static class SecretConnections
{
    public static void UseSecret(this ISiloBuilder silo, ClusterSecret secret) =>
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(builder => builder.UseHandshake(secret, SecretHandshake.Role.Accepting));
            connections.ConfigureGatewayInboundConnection(builder => builder.UseHandshake(secret, SecretHandshake.Role.Accepting));
            connections.ConfigureSiloOutboundConnection(builder => builder.UseHandshake(secret, SecretHandshake.Role.Connecting));
        });

    public static void UseSecret(this IClientBuilder client, ClusterSecret secret) =>
        client.Configure<ClientConnectionOptions>(connections =>
            connections.ConfigureConnection(builder => builder.UseHandshake(secret, SecretHandshake.Role.Connecting)));

    private static void UseHandshake(this IConnectionBuilder builder, ClusterSecret secret, SecretHandshake.Role role)
    {
        var logger = (builder.ApplicationServices.GetService(typeof(ILoggerFactory)) as ILoggerFactory ?? NullLoggerFactory.Instance)
            .CreateLogger("Flows.Cluster.Security");
        builder.Use(next => async context =>
        {
            try
            {
                await SecretHandshake.RunAsync(context.Transport, secret, role, context.ConnectionClosed).ConfigureAwait(false);
            }
            catch (HandshakeRefusedException refused)
            {
                // As Orleans' own TLS middleware does: the connection ends here, Orleans never sees it.
                logger.LogWarning("Refused a connection {Direction} {Remote}: {Reason}.",
                    role == SecretHandshake.Role.Accepting ? "from" : "to", context.RemoteEndPoint, refused.Message);
                context.Abort(new ConnectionAbortedException(refused.Message));
                return;
            }
            catch (OperationCanceledException)
            {
                // The connection closed, or its silo stops, during the handshake.
                context.Abort();
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }
}
