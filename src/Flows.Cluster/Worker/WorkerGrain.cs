using Flows.Cluster.Placement;
using Flows.Cluster.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Flows.Cluster.Worker;

/// <summary>The grain in front of a worker's <see cref="TaskHost"/>; see <see cref="IWorkerGrain"/>.</summary>
[Reentrant]
[WorkerPlacement]
internal sealed class WorkerGrain : Grain, IWorkerGrain
{
    private readonly TaskHost _host;

    public WorkerGrain(IServiceProvider services)
    {
        // Only worker silos have a TaskHost; the flow process's own silo (a local cluster's membership
        // holder) never receives tasks, because placement only ever names workers.
        _host = services.GetService<TaskHost>()
            ?? throw new InvalidOperationException(Client.ClusterSession.WorkerGrainRefusal + ": it runs no tasks.");
    }

    public Task<WorkerDescription> Describe() => Task.FromResult(new WorkerDescription
    {
        Threads = _host.Runner.Threads,
        ProcessId = Environment.ProcessId,
        Machine = Environment.MachineName,
    });

    public Task<string?> Prepare(AssemblyBuild[] builds) => Task.FromResult(_host.Catalog.Prepare(builds, _host.Key));

    public Task Submit(Guid client, RunRequest[] requests)
    {
        _host.Submit(client, requests);
        return Task.CompletedTask;
    }

    public Task<PollAnswer> Poll(Guid client, int longestWaitMs, long received) =>
        _host.OutboxOf(client).PollAsync(TimeSpan.FromMilliseconds(Math.Clamp(longestWaitMs, 10, 60_000)), received);

    public Task<byte[]?[]> Fetch(Guid client, long[] resultIds) => Task.FromResult(_host.Fetch(client, resultIds));

    public Task<FetchedValue?[]> FetchNear(Guid client, long[] resultIds, string[] producerTaskIds, string host) =>
        Task.FromResult(_host.FetchNear(client, resultIds, producerTaskIds, host));

    public Task Release(Guid client, long[] resultIds)
    {
        _host.Release(client, resultIds);
        return Task.CompletedTask;
    }

    public Task Cancel(Guid client, long[] requestIds)
    {
        _host.Cancel(client, requestIds);
        return Task.CompletedTask;
    }
}
