using System.Reflection;
using Flows.Graph;
using Flows.Workers;

namespace Flows.Processes;

/// <summary>
/// The worker processes of one <see cref="ProcessExecutor"/> and the dispatcher of its runs: ready
/// attempts go to the least busy worker (an idle one for tasks with a timeout), wait in a queue
/// when every worker is full, and are answered in order by each worker. A dead worker's running
/// attempt is Crashed, its queued attempts go to the others, and a replacement is started.
/// </summary>
/// <remarks>
/// This file holds the workers' life cycle (start, submit, death, replacement, dispose). The other
/// parts: <c>ProcessPool.Placement.cs</c> (which worker, or wait), <c>ProcessPool.Wire.cs</c> (frames
/// composed and answers read), <c>ProcessPool.Pumps.cs</c> (the sending and reading threads),
/// <c>ProcessPool.Stopping.cs</c> (killing code past its timeout or its run's cancellation).
/// </remarks>
internal sealed partial class ProcessPool : WorkDispatcher, IDisposable
{
    private readonly object _gate = new();
    private readonly ProcessExecutorOptions _options;
    private readonly WorkerHostLaunch _launch;
    private readonly string _socketDirectory;
    private readonly List<WorkerProcess> _workers = new();
    private readonly Queue<ProcessRequest> _pending = new();
    private readonly Dictionary<Assembly, int> _assemblies = new();
    private readonly Dictionary<TaskDescriptor, int> _tasks = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly int _size;
    private int _nextWorkerId;
    private string? _startFailure;

    public ProcessPool(int size, ProcessExecutorOptions options, WorkerHostLaunch launch)
    {
        _size = size;
        _options = options;
        _launch = launch;
        SocketDirectories.RemoveStale();
        _socketDirectory = SocketDirectories.Create();
        SharedMemory.RemoveStale();
        SharedDirectory = options.UseSharedMemory ? SharedMemory.CreateDirectory() : null;
    }

    /// <summary>
    /// Where workers write large results (<see cref="SharedMemory"/>), named per worker and request
    /// (<see cref="SharedResultFiles"/>); null where there is no shared memory: results then travel in frames.
    /// </summary>
    public string? SharedDirectory { get; }

    /// <summary>Starts every worker and waits for their handshakes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var starting = Enumerable.Range(0, _size).Select(_ => StartWorkerAsync(cancellationToken)).ToArray();
        await Task.WhenAll(starting).ConfigureAwait(false);
    }

    public IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_gate)
            {
                return _workers.Where(w => !w.IsDead).Select(w => w.ProcessId).ToArray();
            }
        }
    }

    public override void Submit(TaskAttempt attempt) => Submit(attempt, null);

    /// <summary>Runs the attempt; <paramref name="run"/> keeps its results that stay in shared memory (none without it).</summary>
    public void Submit(TaskAttempt attempt, ProcessRunDispatcher? run)
    {
        var codec = attempt.Task.Codec;
        if (codec is null)
        {
            if (attempt.TryStart(out _))
            {
                attempt.Reject(new FlowDefinitionException(
                    $"Flow '{attempt.FlowName}': task '{attempt.TaskName}' cannot run in a worker process: some of its inputs or its result have no generated serializer. " +
                    "Make those types serializable (the FLOW1xx diagnostics say which member is not), or run this flow with a ThreadExecutor."));
            }

            return;
        }

        var request = new ProcessRequest(attempt) { Run = run };
        List<WorkerProcess>? toFlush = null;
        string? failure;
        lock (_gate)
        {
            failure = _startFailure;
            if (failure is null)
            {
                var worker = PickWorker(request);
                if (worker is null)
                {
                    _pending.Enqueue(request);
                }
                else if (Dispatch(worker, request))
                {
                    toFlush = new List<WorkerProcess>(1) { worker };
                }
            }
        }

        if (failure is not null)
        {
            if (attempt.TryStart(out _))
            {
                attempt.Reject(new InvalidOperationException($"Flow '{attempt.FlowName}': task '{attempt.TaskName}' could not run because the worker processes could not start: {failure}"));
            }

            return;
        }

        Flush(toFlush);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        List<WorkerProcess> workers;
        List<ProcessRequest> orphans;
        lock (_gate)
        {
            workers = _workers.ToList();
            _workers.Clear();
            orphans = _pending.ToList();
            _pending.Clear();
            foreach (var worker in workers)
            {
                orphans.AddRange(worker.InFlight);
                worker.InFlight.Clear();
                worker.IsDead = true;
            }
        }

        foreach (var worker in workers)
        {
            worker.Dispose();
        }

        foreach (var request in orphans)
        {
            request.CancelRegistration.Dispose();
            if (request.Started || request.Attempt.TryStart(out _))
            {
                request.Attempt.Reject(new ObjectDisposedException(nameof(ProcessExecutor),
                    $"Flow '{request.Attempt.FlowName}': task '{request.Attempt.TaskName}' did not finish because its ProcessExecutor was disposed during the run. Dispose the executor only after its runs have finished."));
            }
        }

        try
        {
            Directory.Delete(_socketDirectory, recursive: true);
        }
        catch (IOException)
        {
        }

        // The workers are dead: no file can appear any more, and nothing may read one.
        SharedMemory.DeleteDirectory(SharedDirectory);
    }

    private async Task StartWorkerAsync(CancellationToken cancellationToken)
    {
        int id;
        lock (_gate)
        {
            id = ++_nextWorkerId;
        }

        WorkerProcess worker;
        try
        {
            worker = await WorkerProcess.StartAsync(id, _launch, _socketDirectory, SharedDirectory, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            FailEverythingPending(ex.Message);
            throw;
        }

        List<WorkerProcess>? toFlush = null;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                worker.Dispose();
                return;
            }

            _workers.Add(worker);
            if (Refill(worker))
            {
                toFlush = new List<WorkerProcess> { worker };
            }
        }

        var reader = new Thread(() => Receive(worker)) { IsBackground = true, Name = $"Flows worker {id} reader" };
        reader.Start();
        Flush(toFlush);
    }

    private void FailEverythingPending(string reason)
    {
        List<ProcessRequest> pending;
        lock (_gate)
        {
            _startFailure ??= reason;
            pending = _pending.ToList();
            _pending.Clear();
        }

        foreach (var request in pending)
        {
            if (request.Started || request.Attempt.TryStart(out _))
            {
                request.Attempt.Reject(new InvalidOperationException(
                    $"Flow '{request.Attempt.FlowName}': task '{request.Attempt.TaskName}' could not run because the worker processes could not start: {reason}"));
            }
        }
    }

    private void OnDeath(WorkerProcess worker)
    {
        List<ProcessRequest> lost;
        lock (_gate)
        {
            worker.IsDead = true;
            _workers.Remove(worker);
            lost = worker.InFlight.ToList();
            worker.InFlight.Clear();
        }

        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        var cause = worker.DescribeDeath();
        worker.Dispose();

        // A result the worker wrote to shared memory but never announced (it died in between) is nobody's.
        if (SharedDirectory is { } shared)
        {
            foreach (var request in lost)
            {
                SharedMemory.TryDelete(SharedResultFiles.PathOf(shared, worker.Id, request.Id));
            }
        }

        // The oldest request was running: it crashed with the worker. The others never started
        // there; they go back to the queue with their clocks running.
        for (var i = 0; i < lost.Count; i++)
        {
            var request = lost[i];
            request.CancelRegistration.Dispose();
            if (request.Attempt.IsRunCancelled)
            {
                // Its run is cancelled (perhaps why the worker was killed): nothing to crash or run again.
                request.Attempt.Fail(new OperationCanceledException($"Flow '{request.Attempt.FlowName}': task '{request.Attempt.TaskName}' was cancelled."));
            }
            else if (i == 0)
            {
                request.Attempt.Crash(new TaskCrashedException(request.Attempt.FlowName, request.Attempt.TaskName, $"worker process {worker.ProcessId}: {cause}"));
            }
            else
            {
                lock (_gate)
                {
                    _pending.Enqueue(request);
                }
            }
        }

        _ = ReplaceAsync();
    }

    private async Task ReplaceAsync()
    {
        try
        {
            await StartWorkerAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // StartWorkerAsync has already failed what was waiting, with the reason.
        }
    }
}
