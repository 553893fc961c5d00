using System.Collections.Concurrent;
using Flows.Cluster.Memory;
using Flows.Cluster.Protocol;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Worker;

/// <summary>
/// Runs tasks on one worker silo: each request's inputs are resolved (inline bytes, results kept
/// here, results fetched from other workers), the task runs on one of the worker's threads, its
/// result is kept here or its bytes sent back, and the outcome goes to the client's outbox.
/// </summary>
internal sealed class TaskHost : IDisposable
{
    private readonly ConcurrentDictionary<Guid, ClientOutbox> _clients = new();
    private readonly ILogger<TaskHost> _logger;
    private readonly Timer _expiry;

    public TaskHost(WorkerSettings settings, IGrainFactory grains, ILocalSiloDetails silo, ILogger<TaskHost> logger)
    {
        Key = silo.SiloAddress.ToParsableString();
        Settings = settings;
        Grains = grains;
        _logger = logger;
        Catalog = new TaskCatalog(settings);
        Runner = new TaskRunner(settings.Threads, settings.AbandonedPerThread);
        Runner.TooManyAbandoned += Recycle;
        Stores = new WorkerStores(Key);
        if (settings.MemoryLimit > 0)
        {
            var policy = new MemoryPolicy(settings.MemoryLimit);
            Results = new ResultStore(new SpillFolder(settings.SpillRoot), policy.TargetBytes);
            Memory = new MemoryMonitor(policy, Results, Runner, Key, logger);
            Memory.TerminateNeeded += resident => Terminate(resident, blamed: null, outOfMemory: false);
            var memory = Memory;
            Runner.BeforeTask = () =>
            {
                if (memory.ShouldMakeRoom)
                {
                    memory.PauseIfOver(memory.MakeRoom());
                }
            };
            Results.Counters.Changed += NudgeClients;
            Memory.Start();
        }
        else
        {
            Results = new ResultStore();
        }

        _expiry = new Timer(_ => DropSilentClients(), null, settings.ClientExpiry, settings.ClientExpiry);
    }

    /// <summary>The memory monitor of a worker with a memory limit; null without one.</summary>
    public MemoryMonitor? Memory { get; }

    public WorkerSettings Settings { get; }

    public TaskCatalog Catalog { get; }

    public ResultStore Results { get; }

    /// <summary>Results fetched by workers on this machine, as shared-memory files.</summary>
    public SharedResultFiles SharedFiles { get; } = new();

    /// <summary>The run stores this worker keeps results in (see <see cref="Protocol.StoreRequest"/>).</summary>
    public WorkerStores Stores { get; }

    public TaskRunner Runner { get; }

    public IGrainFactory Grains { get; }

    /// <summary>This worker's key: its silo address, in parsable form.</summary>
    public string Key { get; }

    public ClientOutbox OutboxOf(Guid client) => _clients.GetOrAdd(client, static (c, host) => new ClientOutbox(c, host.Memory is { } memory ? memory.News : null), this);

    /// <summary>News of the worker's memory goes out now, not with the next outcome.</summary>
    private void NudgeClients()
    {
        foreach (var outbox in _clients.Values)
        {
            outbox.Nudge();
        }
    }

    /// <summary>The exit code of a worker that restarted because its memory passed its terminate fraction.</summary>
    public const int MemoryExceededExitCode = 8;

    /// <summary>The start of the line a worker writes on stderr before it exits for its memory.</summary>
    public const string MemoryExceededLine = "FLOWS-WORKER-MEMORY-EXCEEDED ";

    private int _terminating;

    /// <summary>
    /// The worker's memory passed its terminate fraction (or an allocation failed within its limit): the
    /// task that grew it most (the running one that started when memory was lowest) is reported with
    /// the cause, the clients are given a moment to receive that, and the process exits with
    /// <see cref="MemoryExceededExitCode"/>. A local cluster starts a replacement (a connected cluster's
    /// supervisor restarts it), and the clients recompute what it held from lineage.
    /// </summary>
    public void Terminate(long resident, RequestWork? blamed, bool outOfMemory)
    {
        if (Interlocked.Exchange(ref _terminating, 1) != 0)
        {
            return;
        }

        Runner.Pause();
        var policy = Memory!.Policy;
        if (blamed is null)
        {
            foreach (var outbox in _clients.Values)
            {
                foreach (var work in outbox.Running.Values)
                {
                    if (work.HasStarted && (blamed is null || work.MemoryAtStart < blamed.MemoryAtStart))
                    {
                        blamed = work;
                    }
                }
            }
        }

        var what = outOfMemory
            ? $"could not allocate within its {MemorySize.Format(policy.Limit)} memory limit ({MemorySize.Format(resident)} resident)"
            : $"passed {policy.Terminate * 100:0} % of its {MemorySize.Format(policy.Limit)} memory limit ({MemorySize.Format(resident)})";
        var message = $"Flows worker {Key} {what} while running {(blamed is null ? "no task" : $"task '{blamed.TaskId}' (request {blamed.RequestId})")}; it exits to be restarted.";
        _logger.LogError("{Message}", message);
        Console.Error.WriteLine(MemoryExceededLine + message);
        Console.Error.Flush();
        blamed?.ReportMemoryExceeded(policy, resident, outOfMemory);

        // The clients' next polls take the outcome and acknowledge it; one that never comes is not waited for long.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < deadline && !_clients.Values.All(o => o.IsDelivered))
        {
            Thread.Sleep(10);
        }

        // Acknowledged is not yet handled: the client sees the process exit at once, and should read the cause first.
        Thread.Sleep(300);

        Environment.Exit(MemoryExceededExitCode);
    }

    public void Submit(Guid client, RunRequest[] requests)
    {
        var outbox = OutboxOf(client);
        foreach (var request in requests)
        {
            var work = new RequestWork(this, outbox, request);
            outbox.Running[request.Id] = work;
            if (work.NeedsFetch)
            {
                _ = work.FetchThenQueueAsync();
            }
            else
            {
                Runner.Enqueue(work);
            }
        }
    }

    public void Cancel(Guid client, long[] requestIds)
    {
        if (!_clients.TryGetValue(client, out var outbox))
        {
            return;
        }

        foreach (var id in requestIds)
        {
            if (outbox.Running.TryGetValue(id, out var work) && work.Cancel())
            {
                _ = ReplaceIfStuckAsync(work);
            }
        }
    }

    public void Release(Guid client, long[] resultIds)
    {
        foreach (var id in resultIds)
        {
            Results.Remove(client, id);
            SharedFiles.Remove(client, id);
        }
    }

    /// <summary>See <see cref="IWorkerGrain.FetchNear"/>.</summary>
    public FetchedValue?[] FetchNear(Guid client, long[] resultIds, string[] producerTaskIds, string host)
    {
        var near = host.Length > 0 && host == Flows.Workers.SharedMemory.HostKey;
        var values = new FetchedValue?[resultIds.Length];
        for (var i = 0; i < resultIds.Length; i++)
        {
            if (near && i < producerTaskIds.Length && Catalog.Find(producerTaskIds[i]) is { } producer
                && Results.TryGet(client, resultIds[i], out var value)
                && SharedFiles.Share(client, resultIds[i], value, producer) is { } shared)
            {
                values[i] = shared;
                continue;
            }

            values[i] = Results.Serialize(client, resultIds[i]) is { } bytes ? new FetchedValue { Bytes = bytes } : null;
        }

        return values;
    }

    public byte[]?[] Fetch(Guid client, long[] resultIds)
    {
        var values = new byte[]?[resultIds.Length];
        for (var i = 0; i < resultIds.Length; i++)
        {
            values[i] = Results.Serialize(client, resultIds[i]);
        }

        return values;
    }

    /// <summary>Code that ignores its cancellation keeps its thread: the worker gets another one.</summary>
    private async Task ReplaceIfStuckAsync(RequestWork work)
    {
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        if (work.IsInSyncCode && Runner.ReplaceStuckThread(work))
        {
            _logger.LogWarning(
                "Flows worker {Worker}: cancelled task '{Task}' ignores its token and keeps its thread; a new thread takes its place ({Abandoned} of at most {Max} stuck)",
                Key, work.TaskId, Runner.Abandoned, Runner.MaxAbandoned);
        }
    }

    /// <summary>The exit code of a worker that recycled itself because too many threads are stuck in cancelled tasks.</summary>
    public const int TooManyStuckThreadsExitCode = 7;

    /// <summary>
    /// More threads are stuck in cancelled tasks than the worker keeps: only a new process restores
    /// its capacity. It exits; a local cluster starts a replacement, and the flow process sends the
    /// tasks it had to other workers (the stuck ones are already settled as cancelled or timed out).
    /// </summary>
    private void Recycle(int abandoned)
    {
        var message = $"Flows worker {Key}: {abandoned} threads are stuck in cancelled or timed-out tasks that ignore their cancellation token "
            + $"(at most {Runner.MaxAbandoned} are kept); the worker exits so that a new process restores its capacity. "
            + "Make those tasks observe their CancellationToken.";
        _logger.LogError("{Message}", message);
        Console.Error.WriteLine(message);
        Console.Error.Flush();
        Environment.Exit(TooManyStuckThreadsExitCode);
    }

    /// <summary>A client that stopped polling (its process died) has its outbox and results dropped.</summary>
    private void DropSilentClients()
    {
        foreach (var (client, outbox) in _clients)
        {
            if (outbox.SinceLastPoll > Settings.ClientExpiry && outbox.Running.IsEmpty)
            {
                _clients.TryRemove(client, out _);
                Results.RemoveClient(client);
                SharedFiles.RemoveClient(client);
                _logger.LogInformation("Flows worker {Worker}: client {Client} stopped polling; its results were dropped", Key, client);
            }
        }
    }

    public void Dispose()
    {
        Memory?.Dispose();
        Results.Dispose();
        _expiry.Dispose();
        Runner.Dispose();
        Stores.Dispose();
        SharedFiles.Dispose();
    }
}
