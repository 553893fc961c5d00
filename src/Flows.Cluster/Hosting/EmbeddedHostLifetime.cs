using Microsoft.Extensions.Hosting;

namespace Flows.Cluster.Hosting;

/// <summary>
/// The lifetime of the Orleans hosts a flow process embeds (a local cluster's membership silo, a connected
/// cluster's client): none of their own. A <see cref="HostBuilder"/>'s default console lifetime would take SIGTERM
/// and Ctrl+C from the user's program and hold its exit until that host stopped, so a flow process ignored both
/// until its run ended. With this one the program keeps its own signal handling (a hosted app, its host's).
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
