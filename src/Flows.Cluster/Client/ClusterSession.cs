using System.Buffers;
using System.Collections.Concurrent;
using Flows.Cluster.Protocol;
using Flows.Graph;
using Flows.Workers;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>
/// The flow process's side of a cluster: the live workers, where each request goes, the outcomes
/// coming back, and what a worker's death costs (its running tasks go to survivors, its results are
/// recomputed from their lineage when someone still needs them).
/// </summary>
/// <remarks>
/// This file holds the dispatch of a request, cancellation, releases and disposal. The other parts:
/// <c>ClusterSession.Membership.cs</c> (live workers, pings, joins and losses), <c>ClusterSession.Placement.cs</c>
/// (the cost model), <c>ClusterSession.Waiting.cs</c> (work held in this process until a thread is free),
/// <c>ClusterSession.Lineage.cs</c> (recomputing lost results), <c>ClusterSession.Transport.cs</c> (send and poll loops, outcomes).
/// </remarks>
internal sealed partial class ClusterSession : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const int MaxInputLosses = 5;

    /// <summary>How long a worker with tasks in flight may take to answer a ping.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(3);

    private static readonly ConcurrentDictionary<TaskDescriptor, AssemblyBuild> Builds = new();

    private readonly IClusterBackend _backend;
    private readonly ILogger _logger;
    private readonly int _workerDeathsForgiven;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<ClusterRequest> _parked = new();
    private readonly ConcurrentDictionary<string, bool> _notWorkers = new(StringComparer.Ordinal);

    /// <summary>What a silo without a task host answers (see <see cref="Worker.WorkerGrain"/>).</summary>
    internal const string WorkerGrainRefusal = "This silo is not a Flows worker";
    private readonly CancellationTokenSource _closing = new();
    private readonly Timer _refreshTimer;
    private WorkerLink[] _live = [];
    private readonly int _pollWaitMs;
    private long _nextId;
    private int _refreshing;
    private string? _membershipError;

    public ClusterSession(IClusterBackend backend, int workerDeathsForgiven, TimeSpan responseTimeout, ILogger logger)
    {
        // A poll must come back well within the response timeout, or Orleans would count it as lost.
        _pollWaitMs = (int)Math.Clamp(responseTimeout.TotalMilliseconds / 3, 10, 5000);
        _backend = backend;
        _workerDeathsForgiven = workerDeathsForgiven;
        _logger = logger;
        backend.WorkerDied += (key, cause) => LoseWorker(key, cause);
        backend.WorkersChanged += () => _ = RefreshAsync();
        _refreshTimer = new Timer(_ => _ = RefreshAndPingAsync(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Identifies this flow process to the workers: its results and outcomes are kept apart from other clients'.</summary>
    public Guid ClientId { get; } = Guid.NewGuid();

    public IReadOnlyList<WorkerLink> Workers => Volatile.Read(ref _live);

    /// <summary>Whether the workers open a run's store at its path and keep results in it themselves (<see cref="ClusterConnectOptions.WorkersReachStore"/>).</summary>
    public bool WorkersReachStore { get; init; }

    public int TotalThreads => Workers.Sum(w => w.Threads);

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Sends a request to the best worker, first recomputing any input that was lost.</summary>
    public void Dispatch(ClusterRequest request) => Dispatch(request, fromWaiting: false);

    private void Dispatch(ClusterRequest request, bool fromWaiting)
    {
        foreach (var input in request.Inputs)
        {
            if (input.Reference is { IsLost: true })
            {
                _ = DispatchAfterRecomputeAsync(request);
                return;
            }
        }

        var worker = ChooseWorker(request);
        if (worker is null)
        {
            _parked.Enqueue(request);
            _ = RefreshAsync();
            return;
        }

        if (!fromWaiting && TryWait(worker, request))
        {
            return;
        }

        if (request.Attempt is { } attempt && !request.Started)
        {
            if (!attempt.TryStart(out var token))
            {
                return;
            }

            request.Started = true;
            if (token.CanBeCanceled)
            {
                request.CancelRegistration = token.UnsafeRegister(static s => ((ClusterRequest)s!).Run.Session.CancelRemote((ClusterRequest)s!), request);
            }
        }

        var wireId = NextId();
        request.WireId = wireId;
        request.Worker = worker;
        var inputs = new TaskInput[request.Inputs.Length];
        long inline = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var input = request.Inputs[i];
            if (input.Inline is { } bytes)
            {
                inputs[i] = new TaskInput { Inline = bytes };
                inline += bytes.Length;
            }
            else
            {
                var reference = input.Reference!;
                inputs[i] = reference.Owner == worker
                    ? new TaskInput { ResultId = reference.Id }
                    : new TaskInput { ResultId = reference.Id, Owner = reference.Owner!.Key, ProducerTaskId = reference.Producer.Id, Size = reference.Size };
            }
        }

        request.Run.AddBytes(inline);
        var wire = new RunRequest
        {
            Id = wireId,
            TaskId = request.Task.Id,
            Inputs = inputs,
            ReturnResult = request.ReturnResult,
            ResultId = request.Output?.Id ?? 0,
            Store = request.Store,
            LogMask = request.Attempt?.LogMask ?? 0,
        };

        worker.Track(wireId, request);
        worker.Outgoing.Enqueue((wire, BuildOf(request.Task)));
        SendBurst.Flush(this, worker);
    }

    /// <summary>The run was cancelled or the attempt timed out: the worker is told to stop the task.</summary>
    private void CancelRemote(ClusterRequest request)
    {
        if (request.Worker is { IsDead: false } worker && worker.InFlight.ContainsKey(request.WireId))
        {
            _ = SendCancelAsync(worker, request.WireId);
            worker.ReleaseThread(request);
            DispatchWaiting();
        }
    }

    private async Task SendCancelAsync(WorkerLink worker, long wireId)
    {
        try
        {
            await worker.Grain.Cancel(ClientId, [wireId]).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Flows cluster: could not send a cancellation to {Worker}", worker.Key);
        }
    }

    /// <summary>Frees a result on its worker (batched with the worker's next message).</summary>
    public void Release(RemoteResult result)
    {
        if (result.Released)
        {
            return;
        }

        result.Released = true;
        if (result.Owner is { IsDead: false } owner)
        {
            owner.Owned.TryRemove(result.Id, out _);
            owner.Releases.Enqueue(result.Id);
            SendBurst.Flush(this, owner);
        }
    }

    /// <summary>The build of the task's assembly, looked up once per task (reflection stays off the dispatch path).</summary>
    private static AssemblyBuild BuildOf(TaskDescriptor task) => Builds.GetOrAdd(task, static t =>
    {
        var assembly = TaskAssemblies.DeclaringAssembly(t);
        return new AssemblyBuild
        {
            Name = assembly.GetName().Name ?? string.Empty,
            Build = assembly.ManifestModule.ModuleVersionId,
#pragma warning disable IL3000 // An empty location (single-file app) is reported by the worker, which cannot load it.
            Path = string.IsNullOrEmpty(assembly.Location) ? null : assembly.Location,
#pragma warning restore IL3000
        };
    });

    /// <summary>Writes one input of a task with its codec.</summary>
    public static byte[] WriteInput(ITaskCodec codec, int position, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.WriteArgument(position, value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Whether the session was disposed (its executor stopped the cluster or disconnected).</summary>
    public bool IsClosed => _closing.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        await _refreshTimer.DisposeAsync().ConfigureAwait(false);
        foreach (var link in Workers)
        {
            link.IsDead = true;
        }

        while (_parked.TryDequeue(out var request))
        {
            request.Attempt?.Reject(new ObjectDisposedException(nameof(ClusterExecutor), "The cluster executor was disposed while the task waited for a worker."));
        }

        RejectWaiting(new ObjectDisposedException(nameof(ClusterExecutor), "The cluster executor was disposed while the task waited for a worker's thread."));
    }

}
