using System.Collections.Concurrent;
using Flows.Cluster.Protocol;

namespace Flows.Cluster.Client;

/// <summary>The flow process's view of one worker: what is in flight there, what it holds, what waits to be sent.</summary>
internal sealed class WorkerLink
{
    /// <summary>The number of the last poll answer received from the worker (see <see cref="Protocol.PollAnswer"/>); only the poll loop touches it.</summary>
    public long ReceivedAnswer;

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

    /// <summary>Requests sent (or about to be) and not answered, by wire id: change it through <see cref="Track"/> and <see cref="TryTake"/>.</summary>
    public ConcurrentDictionary<long, ClusterRequest> InFlight { get; } = new();

    private int _holdingThreads;

    /// <summary>
    /// In-flight requests of synchronous tasks: each holds (or will hold) one of the worker's threads.
    /// An asynchronous task gives its thread back while it awaits, so it does not count.
    /// </summary>
    public int HoldingThreads => Volatile.Read(ref _holdingThreads);

    public void Track(long wireId, ClusterRequest request)
    {
        InFlight[wireId] = request;
        if (!request.Task.IsAsync)
        {
            Volatile.Write(ref request.HoldsThread, 1);
            Interlocked.Increment(ref _holdingThreads);
        }
    }

    /// <summary>
    /// Stops counting the request's thread as taken before its answer: it was cancelled (its run or
    /// its timeout), and the worker gives the thread of cancelled code that ignores its token a
    /// replacement, so the answer may never come.
    /// </summary>
    public void ReleaseThread(ClusterRequest request)
    {
        if (Interlocked.Exchange(ref request.HoldsThread, 0) == 1)
        {
            Interlocked.Decrement(ref _holdingThreads);
        }
    }

    public bool TryTake(long wireId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClusterRequest? request)
    {
        if (!InFlight.TryRemove(wireId, out request))
        {
            return false;
        }

        ReleaseThread(request);
        return true;
    }

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

    /// <summary>The worker's last memory news (only the poll loop touches it); null until it sends one.</summary>
    public WorkerMemoryNews? Memory;

    /// <summary>1 while a ping to the worker is out.</summary>
    public int Pinging;

    /// <summary>Pings in a row the worker did not answer.</summary>
    public int MissedPings;

    public override string ToString() => Key;
}
