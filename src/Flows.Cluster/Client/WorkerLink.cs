using System.Collections.Concurrent;
using Flows.Cluster.Protocol;

namespace Flows.Cluster.Client;

/// <summary>The flow process's view of one worker: what is in flight there, what it holds, what waits to be sent.</summary>
internal sealed class WorkerLink
{
    public WorkerLink(string key, IWorkerGrain grain, int threads)
    {
        Key = key;
        Grain = grain;
        Threads = Math.Max(1, threads);
    }

    /// <summary>The worker's silo address, in parsable form.</summary>
    public string Key { get; }

    public IWorkerGrain Grain { get; }

    public int Threads { get; }

    /// <summary>Requests sent (or about to be) and not answered, by wire id.</summary>
    public ConcurrentDictionary<long, ClusterRequest> InFlight { get; } = new();

    /// <summary>Results kept here, by id.</summary>
    public ConcurrentDictionary<long, RemoteResult> Owned { get; } = new();

    /// <summary>Requests waiting for the next submission.</summary>
    public ConcurrentQueue<(RunRequest Wire, AssemblyBuild Build)> Outgoing { get; } = new();

    /// <summary>Result ids waiting for the next release.</summary>
    public ConcurrentQueue<long> Releases { get; } = new();

    /// <summary>Task assemblies this worker has confirmed it holds (by name).</summary>
    public ConcurrentDictionary<string, bool> Prepared { get; } = new(StringComparer.Ordinal);

    /// <summary>1 while a send loop runs for this worker.</summary>
    public int Sending;

    public volatile bool IsDead;

    public override string ToString() => Key;
}
