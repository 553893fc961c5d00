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
internal sealed class ProcessPool : WorkDispatcher, IDisposable
{
    /// <summary>Workers with frames composed during this thread's burst, sent when it ends.</summary>
    [ThreadStatic]
    private static List<WorkerProcess>? t_deferred;

    [ThreadStatic]
    private static int t_burstDepth;

    /// <summary>Set on the threads that read workers' answers: they must never block on a send.</summary>
    [ThreadStatic]
    private static bool t_isReader;

    /// <summary>
    /// A reader thread sends inline only while the worker holds less than this unread: far below a
    /// local socket's buffer, so the send cannot block. Past it, a pool thread sends, because a
    /// reader blocked on a full socket while its worker is blocked sending a large result to that
    /// very reader would deadlock both.
    /// </summary>
    private const int InlineSendLimit = 128 * 1024;

    /// <summary>
    /// How much work, in the estimated run time of its tasks, a worker is given beyond the one it
    /// runs: enough that trivial tasks go many to a write, little enough that work waits in this
    /// process, where any worker that frees up (or joins late) can take it, rather than queued
    /// behind a slow task on one worker.
    /// </summary>
    private const double QueueBudgetMicroseconds = 2000;

    private readonly object _gate = new();
    private readonly ProcessExecutorOptions _options;
    private readonly WorkerHostLaunch _launch;
    private readonly string _socketDirectory;
    private readonly List<WorkerProcess> _workers = new();
    private readonly Queue<ProcessRequest> _pending = new();
    private readonly Dictionary<Assembly, int> _assemblies = new();
    private readonly Dictionary<TaskDescriptor, int> _tasks = new();

    /// <summary>A running average of how long each task's code ran on the workers (under the lock).</summary>
    private readonly Dictionary<TaskDescriptor, double> _typicalMicroseconds = new();
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
    }

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

    public override void Submit(TaskAttempt attempt)
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

        var request = new ProcessRequest(attempt);
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

    public override void BeginBurst() => t_burstDepth++;

    public override void EndBurst()
    {
        if (--t_burstDepth == 0 && t_deferred is { Count: > 0 } deferred)
        {
            t_deferred = null;
            Flush(deferred);
        }
    }

    internal override bool KillsHungAttempts => true;

    public override void OnAbandoned(TaskAttempt attempt)
    {
        // A task past its timeout is killed with its worker: the hard timeout threads cannot give.
        // The kill happens outside the lock: other workers' answers must not wait for it.
        WorkerProcess? running = null;
        lock (_gate)
        {
            foreach (var worker in _workers)
            {
                if (worker.InFlight.TryPeek(out var head) && ReferenceEquals(head.Attempt, attempt))
                {
                    running = worker;
                    break;
                }
            }
        }

        running?.Kill();
    }

    internal override void OnRunCancelled()
    {
        // A cancel frame went to each worker running the run's attempts. A worker still running one
        // after the grace ignores it and would hold that worker for as long as the code runs: it is
        // killed and replaced, as a hard timeout is.
        var grace = _options.CancelGrace;
        Task.Delay(grace, _stopping.Token).ContinueWith(
            static (t, s) =>
            {
                if (!t.IsCanceled)
                {
                    ((ProcessPool)s!).KillCancelled();
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void KillCancelled()
    {
        List<(WorkerProcess Worker, TaskAttempt Attempt)>? stuck = null;
        lock (_gate)
        {
            foreach (var worker in _workers)
            {
                if (!worker.IsDead && worker.InFlight.TryPeek(out var head) && head.Started && head.Attempt.IsRunCancelled)
                {
                    (stuck ??= new()).Add((worker, head.Attempt));
                }
            }
        }

        if (stuck is null)
        {
            return;
        }

        foreach (var (worker, attempt) in stuck)
        {
            RunLog.WorkerProcessKilled(attempt.Logger, attempt.FlowName, attempt.TaskName, worker.ProcessId, _options.CancelGrace.TotalMilliseconds);
            worker.Kill();
        }
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
            worker = await WorkerProcess.StartAsync(id, _launch, _socketDirectory, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The least busy live worker that can take the request now, or null.</summary>
    private WorkerProcess? PickWorker(ProcessRequest request)
    {
        WorkerProcess? best = null;
        foreach (var worker in _workers)
        {
            if (worker.IsDead)
            {
                continue;
            }

            var load = worker.InFlight.Count;
            if (load == 0)
            {
                return worker;
            }

            if (!CanQueueOn(worker, request))
            {
                continue;
            }

            if (best is null || worker.QueuedMicroseconds < best.QueuedMicroseconds)
            {
                best = worker;
            }
        }

        return best;
    }

    /// <summary>
    /// Whether a busy worker may be given the request to run after what it has: never a task with
    /// a timeout (its clock runs from the hand-over), and only while its queue stays within the
    /// in-flight limit and <see cref="QueueBudgetMicroseconds"/>. A task not yet seen counts as
    /// the whole budget, so it goes only to idle workers until one run of it is measured.
    /// </summary>
    private bool CanQueueOn(WorkerProcess worker, ProcessRequest request) =>
        !request.Exclusive
        && !worker.InFlight.Peek().Exclusive
        && worker.InFlight.Count < _options.MaxTasksInFlightPerWorker
        && worker.QueuedMicroseconds + EstimateOf(request.Attempt.Task) <= QueueBudgetMicroseconds;

    private double EstimateOf(TaskDescriptor task) =>
        _typicalMicroseconds.TryGetValue(task, out var typical) ? typical : QueueBudgetMicroseconds;

    /// <summary>Notes how long a task's code ran on a worker (under the lock).</summary>
    private void NoteRunTime(TaskDescriptor task, long microseconds) =>
        _typicalMicroseconds[task] = _typicalMicroseconds.TryGetValue(task, out var typical)
            ? (0.7 * typical) + (0.3 * microseconds)
            : microseconds;

    /// <summary>Composes the request's frames into the worker's outbox; false if it settled instead (run cancelled).</summary>
    private bool Dispatch(WorkerProcess worker, ProcessRequest request)
    {
        var attempt = request.Attempt;
        if (!request.Started)
        {
            if (!attempt.TryStart(out var started))
            {
                return false;
            }

            request.Started = true;
            request.Token = started;
        }

        var task = attempt.Task;
        var outbox = worker.Outbox;
        int taskIndex;
        try
        {
            taskIndex = EnsureDefined(worker, task);
        }
        catch (FlowDefinitionException ex)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Attempt.Fail(s.Error), (Attempt: attempt, Error: (Exception)ex), preferLocal: false);
            return false;
        }

        var frameStart = outbox.Length;
        outbox.BeginFrame(FrameKind.Run);
        outbox.WriteInt64(request.Id);
        outbox.WriteInt32(taskIndex);
        try
        {
            task.Codec!.WriteArguments(attempt.Arguments, outbox);
        }
        catch (Exception ex)
        {
            outbox.AbandonFrame();
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Attempt.Fail(s.Error), (Attempt: attempt, Error: ex), preferLocal: false);
            return false;
        }

        outbox.EndFrame();
        request.FrameBytes = outbox.Length - frameStart;
        attempt.Traffic.Add(request.FrameBytes);
        worker.UnansweredBytes += request.FrameBytes;
        request.EstimateMicroseconds = EstimateOf(task);
        worker.QueuedMicroseconds += request.EstimateMicroseconds;
        worker.InFlight.Enqueue(request);
        if (request.Token.CanBeCanceled)
        {
            request.CancelRegistration = request.Token.UnsafeRegister(static s => ((ProcessPool)((object[])s!)[0]).SendCancel((ProcessRequest)((object[])s!)[1]), new object[] { this, request });
        }

        return true;
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "An empty location (single-file app) is detected and refused with a message; workers must load the assembly from a file.")]
    private int EnsureDefined(WorkerProcess worker, TaskDescriptor task)
    {
        if (!_tasks.TryGetValue(task, out var taskIndex))
        {
            taskIndex = _tasks.Count;
            _tasks.Add(task, taskIndex);
        }

        if (worker.DefinedTasks.Contains(taskIndex))
        {
            return taskIndex;
        }

        var assembly = Workers.TaskAssemblies.DeclaringAssembly(task);
        if (string.IsNullOrEmpty(assembly.Location))
        {
            throw new FlowDefinitionException(
                $"Task '{task.Name}' lives in {assembly.GetName().Name}, which is not a file on disk (a single-file or in-memory assembly). " +
                "Worker processes load tasks from files: publish without PublishSingleFile to use a ProcessExecutor.");
        }

        if (!_assemblies.TryGetValue(assembly, out var assemblyIndex))
        {
            assemblyIndex = _assemblies.Count;
            _assemblies.Add(assembly, assemblyIndex);
        }

        var outbox = worker.Outbox;
        if (worker.LoadedAssemblies.Add(assemblyIndex))
        {
            outbox.BeginFrame(FrameKind.LoadAssembly);
            outbox.WriteInt32(assemblyIndex);
            outbox.WriteString(_options.AssemblyPathOverride ?? assembly.Location);
            outbox.WriteGuid(_options.BuildOverride ?? assembly.ManifestModule.ModuleVersionId);
            outbox.EndFrame();
        }

        outbox.BeginFrame(FrameKind.DefineTask);
        outbox.WriteInt32(taskIndex);
        outbox.WriteInt32(assemblyIndex);
        outbox.WriteString(task.Id);
        outbox.EndFrame();
        worker.DefinedTasks.Add(taskIndex);
        return taskIndex;
    }

    private void SendCancel(ProcessRequest request)
    {
        WorkerProcess? target = null;
        lock (_gate)
        {
            foreach (var worker in _workers)
            {
                if (!worker.IsDead && worker.InFlight.Contains(request))
                {
                    target = worker;
                    break;
                }
            }
        }

        if (target is null)
        {
            return;
        }

        var frame = new FrameBuffer(32);
        frame.BeginFrame(FrameKind.Cancel);
        frame.WriteInt64(request.Id);
        frame.EndFrame();
        try
        {
            target.Control.Send(frame);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The worker is gone; its death is handled by its reader.
        }
    }

    /// <summary>Moves pending requests onto the worker while it has room. Under the lock.</summary>
    private bool Refill(WorkerProcess worker)
    {
        var composed = false;
        while (_pending.TryPeek(out var next))
        {
            if (worker.IsDead)
            {
                break;
            }

            if (worker.InFlight.Count > 0 && !CanQueueOn(worker, next))
            {
                break;
            }

            _pending.Dequeue();
            composed |= Dispatch(worker, next);
        }

        return composed;
    }

    private void Flush(List<WorkerProcess>? workers)
    {
        if (workers is null)
        {
            return;
        }

        if (t_burstDepth > 0)
        {
            var deferred = t_deferred ??= new List<WorkerProcess>();
            foreach (var worker in workers)
            {
                if (!deferred.Contains(worker))
                {
                    deferred.Add(worker);
                }
            }

            return;
        }

        foreach (var worker in workers)
        {
            if (t_isReader && worker.UnansweredBytes + worker.Outbox.Length > InlineSendLimit)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Pool.SendOutbox(s.Worker), (Pool: this, Worker: worker), preferLocal: false);
            }
            else
            {
                SendOutbox(worker);
            }
        }
    }

    /// <summary>Sends what is composed for the worker, until nothing more is (one sender at a time).</summary>
    private void SendOutbox(WorkerProcess worker)
    {
        while (true)
        {
            FrameBuffer? frames;
            lock (_gate)
            {
                frames = worker.IsDead ? null : worker.TakeOutboxForSending();
            }

            if (frames is null)
            {
                return;
            }

            try
            {
                worker.Connection.Send(frames.WrittenSpan);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // The reader thread sees the death and handles it.
            }

            bool more;
            lock (_gate)
            {
                more = worker.FinishSending();
            }

            if (!more)
            {
                return;
            }
        }
    }

    private void Receive(WorkerProcess worker)
    {
        t_isReader = true;
        try
        {
            while (worker.Connection.TryReceive(out var frame))
            {
                // Answers that arrived together are handled as one burst: what they make ready is
                // sent in one write per worker after the last of them.
                BeginBurst();
                try
                {
                    while (true)
                    {
                        if (frame.Kind is FrameKind.Result or FrameKind.Failure)
                        {
                            Answer(worker, frame);
                        }

                        FrameConnection.Release(frame);

                        if (!worker.Connection.HasBufferedFrame || !worker.Connection.TryReceive(out frame))
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    EndBurst();
                }
            }
        }
        catch (Exception ex) when (ex is WorkerProtocolException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            worker.Kill();
        }

        OnDeath(worker);
    }

    private void Answer(WorkerProcess worker, Frame frame)
    {
        var payload = new PayloadReader(frame.Payload);
        var id = payload.ReadInt64();
        var ranMicroseconds = payload.ReadInt64();
        ProcessRequest request;
        List<WorkerProcess>? toFlush = null;
        lock (_gate)
        {
            if (!worker.InFlight.TryDequeue(out request!) || request.Id != id)
            {
                throw new WorkerProtocolException($"an answer to request {id}, which is not the oldest one in flight");
            }

            worker.UnansweredBytes -= request.FrameBytes;
            worker.QueuedMicroseconds -= request.EstimateMicroseconds;
            if (frame.Kind == FrameKind.Result)
            {
                NoteRunTime(request.Attempt.Task, ranMicroseconds);
            }

            if (Refill(worker))
            {
                toFlush = new List<WorkerProcess> { worker };
            }
        }

        Flush(toFlush);
        request.CancelRegistration.Dispose();
        var attempt = request.Attempt;
        attempt.Traffic.Add(WorkerProtocol.HeaderBytes + frame.Length);
        attempt.NoteCodeRan(ranMicroseconds);
        if (frame.Kind == FrameKind.Result)
        {
            object? value;
            try
            {
                value = attempt.Task.Codec!.ReadResult(payload.Rest);
            }
            catch (Exception ex)
            {
                attempt.Fail(ex);
                return;
            }

            attempt.Succeed(value);
            return;
        }

        FailureRecord failure;
        try
        {
            var kind = (FailureKind)payload.ReadByte();
            if (kind is not (FailureKind.Failed or FailureKind.Cancelled or FailureKind.Refused))
            {
                throw new WorkerProtocolException($"a failure of unknown kind {(byte)kind}");
            }

            failure = new FailureRecord(kind, payload.ReadString(), payload.ReadString(), payload.ReadString());
        }
        catch (WorkerProtocolException ex)
        {
            // The request has left the worker's queue: it is settled here, then the worker dies for the bad frame.
            attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName, $"worker process {worker.ProcessId} sent a malformed answer: {ex.Message}"));
            throw;
        }

        attempt.Fail(failure.ToException(attempt.FlowName, attempt.TaskName));
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
