using Flows.Graph;

namespace Flows.Cluster.Client;

/// <summary>
/// One task run on its way to a worker: a scheduler attempt, or a recomputation of a result lost
/// with its worker (then <see cref="Attempt"/> is null).
/// </summary>
internal sealed class ClusterRequest
{
    public ClusterRequest(TaskAttempt? attempt, TaskDescriptor task, string name, ClientInput[] inputs, bool returnResult, RemoteResult? output, ClusterRunDispatcher run)
    {
        Attempt = attempt;
        Task = task;
        Name = name;
        Inputs = inputs;
        ReturnResult = returnResult;
        Output = output;
        Run = run;
    }

    public TaskAttempt? Attempt { get; }

    public TaskDescriptor Task { get; }

    public string Name { get; }

    public ClientInput[] Inputs { get; }

    public bool ReturnResult { get; }

    /// <summary>Where the result is kept (null when it comes back as bytes).</summary>
    public RemoteResult? Output { get; }

    public ClusterRunDispatcher Run { get; }

    /// <summary>The run's store, when the worker keeps the result there itself (sent with every dispatch).</summary>
    public Protocol.StoreRequest? Store { get; init; }

    /// <summary>Whether the flow process keeps the result in the run's store (the workers do not reach it): the result comes back as bytes.</summary>
    public bool KeptHere { get; init; }

    /// <summary>For <see cref="KeptHere"/>: the cache key the result is kept under, when the task is cached and its inputs were here to compute it.</summary>
    public byte[]? CacheKey { get; init; }

    /// <summary>The id of the current dispatch: a request sent again gets a new one, so a late outcome of the old dispatch is ignored.</summary>
    public long WireId;

    /// <summary>The worker it was last sent to.</summary>
    public volatile WorkerLink? Worker;

    /// <summary>The wire id of the dispatch whose worker reported that the task's code started (0: none yet).</summary>
    public long StartedWireId;

    /// <summary>1 while the request counts as holding a thread of the worker it is tracked on (<see cref="WorkerLink.ReleaseThread"/>).</summary>
    public int HoldsThread;

    /// <summary>Workers that died while this attempt ran on them (not those it only waited in the queue of).</summary>
    public int WorkerDeaths;

    /// <summary>Outcomes that reported a lost input (the request is sent again after recomputing it).</summary>
    public int InputLosses;

    /// <summary>Whether the attempt's clock has started.</summary>
    public bool Started;

    public CancellationTokenRegistration CancelRegistration;

    /// <summary>Whether some input is kept on <paramref name="worker"/>.</summary>
    public bool ReadsFrom(WorkerLink worker)
    {
        foreach (var input in Inputs)
        {
            if (input.Reference?.Owner == worker)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One input of a request: bytes written in the flow process, or a result kept on a worker.</summary>
internal readonly record struct ClientInput(byte[]? Inline, RemoteResult? Reference);
