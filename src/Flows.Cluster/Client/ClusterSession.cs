using System.Buffers;
using System.Collections.Concurrent;
using Flows.Cluster.Protocol;
using Flows.Graph;
using Flows.Processes;
using Flows.Workers;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>
/// The flow process's side of a cluster: the live workers, where each request goes, the outcomes
/// coming back, and what a worker's death costs (its running tasks go to survivors, its results are
/// recomputed from their lineage when someone still needs them).
/// </summary>
internal sealed partial class ClusterSession : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private const int MaxInputLosses = 5;

    /// <summary>How long a worker with tasks in flight may take to answer a ping.</summary>
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(3);

    /// <summary>What one worker-to-worker fetch costs beyond its bytes (a round trip of messages), in microseconds.</summary>
    private const double FetchCallMicroseconds = 50;
    private static readonly ConcurrentDictionary<TaskDescriptor, AssemblyBuild> Builds = new();

    private readonly IClusterBackend _backend;
    private readonly ILogger _logger;
    private readonly int _workerDeathsForgiven;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<ClusterRequest> _parked = new();
    private readonly ConcurrentDictionary<TaskDescriptor, double> _durations = new();
    private readonly ConcurrentDictionary<string, bool> _notWorkers = new(StringComparer.Ordinal);

    /// <summary>What a silo without a task host answers (see <see cref="Worker.WorkerGrain"/>).</summary>
    internal const string WorkerGrainRefusal = "This silo is not a Flows worker";
    private readonly CancellationTokenSource _closing = new();
    private readonly Timer _refreshTimer;
    private WorkerLink[] _live = [];
    private readonly int _pollWaitMs;
    private long _nextId;
    private int _refreshing;

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

    public int TotalThreads => Workers.Sum(w => w.Threads);

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Waits until at least <paramref name="workers"/> workers are in the cluster.</summary>
    public async Task WaitForWorkersAsync(int workers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            await RefreshAsync().ConfigureAwait(false);
            if (Workers.Count >= workers)
            {
                break;
            }

            try
            {
                await Task.Delay(50, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The cluster has {Workers.Count} Flows worker(s) after {timeout.TotalSeconds:0.#} s; {workers} were expected. Start workers with `dotnet Flows.Cluster.dll worker ...` (see the README).");
            }
        }

        _refreshTimer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Every second: membership (joins and declared deaths), and a ping to each worker that has tasks
    /// in flight. Membership takes Orleans' probes to declare a silo dead (tens of seconds with
    /// production settings); a worker that misses two pings in a row (more when it is busy) is treated as lost
    /// sooner, unless it is a local cluster's worker whose process still runs (busy, not dead).
    /// </summary>
    private async Task RefreshAndPingAsync()
    {
        await RefreshAsync().ConfigureAwait(false);
        foreach (var link in Workers)
        {
            if (link.InFlight.IsEmpty || Interlocked.Exchange(ref link.Pinging, 1) != 0)
            {
                continue;
            }

            _ = PingAsync(link);
        }
    }

    private async Task PingAsync(WorkerLink link)
    {
        try
        {
            await link.Grain.Describe().WaitAsync(PingTimeout, _closing.Token).ConfigureAwait(false);
            link.MissedPings = 0;
        }
        catch (Exception ex) when (!_closing.IsCancellationRequested)
        {
            // A busy worker answers late: the more tasks it has queued per thread, the more pings it
            // may miss (up to 5) before it is lost, where only pings can tell.
            var limit = 2 + Math.Min(3, link.HoldingThreads / link.Threads);
            if (++link.MissedPings >= limit && IsProcessAlive(link))
            {
                // Busy (CPU or memory pressure) but alive: a local cluster sees its process exit the
                // moment it dies, so a slow answer is no reason to give its tasks to others.
                if (link.MissedPings == limit)
                {
                    _logger.LogWarning("Flows cluster: worker {Worker} did not answer {Pings} pings in a row ({Error}); its process runs, so it is taken as busy, not lost", link.Key, limit, ex.Message);
                }
            }
            else if (link.MissedPings >= limit)
            {
                LoseWorker(link.Key, $"it did not answer {limit} pings in a row (last: {ex.GetType().Name}: {ex.Message})");
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref link.Pinging, 0);
        }
    }

    /// <summary>Whether the backend knows first-hand that the worker's process still runs (a local cluster's worker).</summary>
    private bool IsProcessAlive(WorkerLink link) => _backend.IsWorkerProcessAlive(link.Key) == true;

    /// <summary>Brings the worker list in line with cluster membership: new workers join, departed ones are lost.</summary>
    public async Task RefreshAsync()
    {
        if (_closing.IsCancellationRequested || Interlocked.Exchange(ref _refreshing, 1) != 0)
        {
            return;
        }

        try
        {
            var keys = await _backend.ListWorkersAsync(_closing.Token).ConfigureAwait(false);
            foreach (var key in keys)
            {
                if (Workers.Any(w => w.Key == key) || _notWorkers.ContainsKey(key))
                {
                    continue;
                }

                var grain = _backend.Grains.GetGrain<IWorkerGrain>(key);
                WorkerDescription description;
                try
                {
                    description = await grain.Describe().WaitAsync(TimeSpan.FromSeconds(10), _closing.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (ex.ToString().Contains(WorkerGrainRefusal, StringComparison.Ordinal))
                    {
                        // A silo of the cluster that runs no tasks: never asked again.
                        _notWorkers[key] = true;
                    }

                    _logger.LogDebug(ex, "Flows cluster: silo {Worker} did not describe itself as a worker (yet)", key);
                    continue;
                }

                AddWorker(new WorkerLink(key, grain, description.Threads));
            }

            foreach (var link in Workers)
            {
                if (!keys.Contains(link.Key))
                {
                    LoseWorker(link.Key, "it left the cluster (cluster membership declared it dead or gone)");
                }
            }
        }
        catch (Exception ex) when (!_closing.IsCancellationRequested)
        {
            _logger.LogWarning(ex, "Flows cluster: could not read the cluster's membership");
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    private void AddWorker(WorkerLink link)
    {
        lock (_gate)
        {
            if (_live.Any(w => w.Key == link.Key))
            {
                return;
            }

            _live = [.. _live, link];
        }

        _logger.LogInformation("Flows cluster: worker {Worker} joined with {Threads} thread(s)", link.Key, link.Threads);
        _ = PollLoopAsync(link);

        // Requests that found no worker go now.
        SendBurst.Enter();
        try
        {
            var parked = _parked.Count;
            for (var i = 0; i < parked && _parked.TryDequeue(out var request); i++)
            {
                Dispatch(request);
            }

            // Work waiting for a thread has one more worker to go to.
            DispatchWaiting();
        }
        finally
        {
            SendBurst.Exit();
        }
    }

    /// <summary>
    /// A worker is gone: requests in flight there (and those fetching from it) go elsewhere; its
    /// results are lost, to be recomputed when a reader needs them.
    /// </summary>
    public void LoseWorker(string key, string cause)
    {
        WorkerLink? link;
        lock (_gate)
        {
            link = _live.FirstOrDefault(w => w.Key == key);
            if (link is null)
            {
                return;
            }

            link.IsDead = true;
            _live = _live.Where(w => w != link).ToArray();
        }

        _logger.LogWarning("Flows cluster: worker {Worker} is lost: {Cause}", key, cause);
        // Only a request that was running is charged the death: one the worker reported started, or
        // one of the oldest (a worker takes its requests in order, one per thread) whose report may
        // not have arrived. Those queued behind go elsewhere as if nothing happened.
        var mayHaveRun = link.InFlight.Keys.Order().Take(link.Threads).ToHashSet();
        SendBurst.Enter();
        try
        {
            foreach (var (wireId, request) in link.InFlight)
            {
                if (!link.TryTake(wireId, out _))
                {
                    continue;
                }

                request.CancelRegistration.Dispose();
                if (request.Attempt is { } attempt)
                {
                    if (attempt.IsSettled)
                    {
                        continue;
                    }

                    var ran = request.StartedWireId == wireId || mayHaveRun.Contains(wireId);
                    if (ran && ++request.WorkerDeaths > _workerDeathsForgiven)
                    {
                        attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName,
                            $"{request.WorkerDeaths} workers died while running it; the last, {key}, because {cause}"));
                        continue;
                    }
                }

                Dispatch(request);
            }

            // Requests elsewhere that still have to fetch an input from the dead worker would wait
            // for Orleans to notice the death; they are sent again instead (after a recomputation).
            foreach (var survivor in Workers)
            {
                foreach (var (wireId, request) in survivor.InFlight)
                {
                    if (request.ReadsFrom(link) && survivor.TryTake(wireId, out _))
                    {
                        Dispatch(request);
                    }
                }
            }

            DispatchWaiting();
        }
        finally
        {
            SendBurst.Exit();
        }
    }

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
        };

        worker.Track(wireId, request);
        worker.Outgoing.Enqueue((wire, BuildOf(request.Task)));
        SendBurst.Flush(this, worker);
    }

    /// <summary>
    /// The worker where the request would start soonest: the wait for a free thread there (tasks
    /// queued beyond its threads, at this task's usual duration), plus the time to fetch the input
    /// bytes it does not hold (about 1 GB/s). So a task goes where most of its input bytes are,
    /// unless that worker is busy enough that moving the bytes is quicker.
    /// </summary>
    private WorkerLink? ChooseWorker(ClusterRequest request)
    {
        var workers = Workers;
        var typical = _durations.TryGetValue(request.Task, out var known) ? known : 100.0;
        WorkerLink? best = null;
        var bestCost = double.MaxValue;
        var bestQueue = int.MaxValue;
        long total = 0;
        foreach (var input in request.Inputs)
        {
            total += input.Reference?.Size ?? 0;
        }

        foreach (var worker in workers)
        {
            if (worker.IsDead)
            {
                continue;
            }

            long local = 0;
            var remoteOwners = 0;
            WorkerLink? lastRemote = null;
            foreach (var input in request.Inputs)
            {
                if (input.Reference is not { } reference)
                {
                    continue;
                }

                if (reference.Owner == worker)
                {
                    local += Math.Max(1, reference.Size);
                }
                else if (reference.Owner != lastRemote)
                {
                    // Roughly one fetch call per other owner (inputs from one owner are fetched together).
                    lastRemote = reference.Owner;
                    remoteOwners++;
                }
            }

            var queue = worker.HoldingThreads;
            var waiting = Math.Max(0, queue + 1 - worker.Threads) * typical / worker.Threads;
            var cost = waiting + (remoteOwners * FetchCallMicroseconds) + ((total - local) / 1000.0);
            if (cost < bestCost || (cost == bestCost && queue < bestQueue))
            {
                bestCost = cost;
                bestQueue = queue;
                best = worker;
            }
        }

        return best;
    }

    /// <summary>Notes how long a task's code ran (a running average per task, for placement).</summary>
    public void NoteDuration(Flows.Graph.TaskDescriptor task, double micros)
    {
        if (micros > 0)
        {
            _durations[task] = _durations.TryGetValue(task, out var known) ? (0.8 * known) + (0.2 * micros) : micros;
        }
    }

    private async Task DispatchAfterRecomputeAsync(ClusterRequest request)
    {
        try
        {
            foreach (var input in request.Inputs)
            {
                if (input.Reference is { IsLost: true } lost)
                {
                    await RecomputeAsync(lost, request.Run).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            request.CancelRegistration.Dispose();
            Failed(request, ex);
            return;
        }

        SendBurst.Enter();
        try
        {
            Dispatch(request);
        }
        finally
        {
            SendBurst.Exit();
        }
    }

    /// <summary>Makes a lost result again by running the request that made it (and, first, whatever it read that is lost too).</summary>
    private Task RecomputeAsync(RemoteResult result, ClusterRunDispatcher run)
    {
        var done = result.BeginRecompute(out var start);
        if (!start)
        {
            return done;
        }

        var lineage = result.Lineage ?? throw new InvalidOperationException($"Result {result.Id} of task '{result.Producer.Name}' has no lineage to recompute it from.");
        _logger.LogInformation("Flows cluster: recomputing the result of {Task}, lost with its worker", lineage.Name);
        result.Released = false;
        result.Owner = null;
        result.KeepUntilRunEnd = true;
        var again = new ClusterRequest(null, lineage.Task, lineage.Name, lineage.Inputs, returnResult: false, result, run);
        SendBurst.Enter();
        try
        {
            Dispatch(again);
        }
        finally
        {
            SendBurst.Exit();
        }

        return done;
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
