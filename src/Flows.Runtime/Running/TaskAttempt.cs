using System.Diagnostics;
using Flows.Graph;
using Flows.Limits;
using Flows.Logging;

namespace Flows;

/// <summary>
/// One attempt of one task run: what a <see cref="WorkDispatcher"/> is handed. Calling
/// <see cref="Execute"/> runs it in this process and reports the outcome to the scheduler.
/// </summary>
public sealed class TaskAttempt : ISlotWaiter
{
    private readonly NodeRun _node;
    private int _settled;
    private CancellationTokenSource? _timeout;
    private CancellationTokenRegistration _timeoutRegistration;
    private Timer? _timeoutGrace;
    private TaskCompletionSource? _settledSignal;
    private Activity? _activity;
    private Task? _pending;
    private long _codeRanTicks;
    /// <summary>
    /// Whether the attempt's start was told to listeners and the meter: 0 not (nobody watches), <see cref="Told"/>
    /// told, or the timestamp of a hand-over whose telling waits for the outcome (a cache the worker reads itself).
    /// </summary>
    private long _told;
    private const long Told = -1;
    private TaskLogger? _log;

    /// <summary>
    /// Whether it holds places in the concurrency limits of its task (taken when it was handed over,
    /// given back when it settles). The limits themselves are its node's (<see cref="FlowRunState.SlotsOf"/>):
    /// an attempt of an unlimited run carries nothing more than this flag.
    /// </summary>
    internal bool HoldsSlots;

    SlotUse[] ISlotWaiter.Slots => _node.Run.SlotsOf(_node.Index)!;

    RunLimits? ISlotWaiter.Owner => _node.Run.Limits;

    /// <summary>Where the attempt is handed to run.</summary>
    internal WorkDispatcher Dispatcher => _node.Run.Dispatcher;

    internal TaskAttempt(NodeRun node, int element, int number)
    {
        _node = node;
        ElementIndex = element;
        Number = number;
    }

    /// <summary>The flow this attempt belongs to.</summary>
    public string FlowName => _node.Run.FlowName;

    /// <summary>The task run's name: the node's, with <c>[i]</c> for element i of a mapped task.</summary>
    public string TaskName => ElementIndex < 0
        ? _node.Run.NamePrefix + _node.Node.Name
        : $"{_node.Run.NamePrefix}{_node.Node.Name}[{ElementIndex}]";

    /// <summary>The task called.</summary>
    public TaskDescriptor Task => _node.Node.Task!;

    /// <summary>The element of a mapped task, or -1.</summary>
    public int ElementIndex { get; }

    /// <summary>1 for the first attempt, 2 for the first retry, ...</summary>
    public int Number { get; }

    /// <summary>The graph of the run this attempt belongs to (a subflow's own graph inside a subflow).</summary>
    internal FlowGraph Graph => _node.Run.Graph;

    /// <summary>The attempt's node in <see cref="Graph"/>.</summary>
    internal int NodeIndex => _node.Index;

    /// <summary>Who reads this attempt's result: see <see cref="ResultUse"/>. Every element of a map is read by the scheduler.</summary>
    /// <remarks>
    /// An element of a chain's stage other than a TryMap is read by the next stage's element alone
    /// (one task reader), so a cluster keeps it on its worker; other elements return to the scheduler.
    /// </remarks>
    internal ResultUse ResultUse => ElementIndex < 0
        ? Graph.ResultUseOf(_node.Index)
        : _node.Map!.HandsOnByReference ? new ResultUse(false, 1, false) : new ResultUse(true, 0, false);

    private ref TaskStats Stats => ref ElementIndex < 0 ? ref _node.Stats : ref _node.Map!.Elements[ElementIndex];

    private FlowRunState Run => _node.Run;

    /// <summary>Where a dispatcher that moves this attempt's bytes between processes counts them for the run.</summary>
    internal RunTraffic Traffic => _node.Run.Traffic;

    /// <summary>The run's logger (null when the run has none): where executors report what they do to this attempt's worker.</summary>
    internal Microsoft.Extensions.Logging.ILogger? Logger => Run.Logger;

    /// <summary>The run's store, or null: a dispatcher that keeps results elsewhere (<see cref="WorkDispatcher.KeepsResultsElsewhere"/>) checkpoints and caches through it itself.</summary>
    internal Storage.RunStore? Store => Run.Store;

    /// <summary>The task run's node as its checkpoint names it (a subflow's path included; the element is <see cref="ElementIndex"/>).</summary>
    internal string StoreNode => Run.NamePrefix + _node.Node.Name;

    /// <summary>Reports a result a dispatcher took from the cache instead of running the task: its record says Cached.</summary>
    internal void SucceedFromCache(object? result)
    {
        // The same record as a hit in the flow process: the task did not run, so no attempt is counted.
        Stats.Origin = TaskOrigin.Cached;
        Stats.Attempts = Number - 1;
        Settle(TaskState.Succeeded, result, null);
    }

    /// <summary>Whether the attempt's run is being cancelled.</summary>
    internal bool IsRunCancelled => Run.IsCancelled;

    /// <summary>Whether the attempt has settled (finished, failed, crashed, timed out or been cancelled).</summary>
    public bool IsSettled => Volatile.Read(ref _settled) != 0;

    /// <summary>
    /// The attempt's inputs. For an executor that runs the task elsewhere: serialize these with the
    /// task's <see cref="TaskDescriptor.Codec"/>.
    /// </summary>
    public TaskArguments Arguments => ElementIndex < 0
        ? new TaskArguments(Run.Slots, _node.Node.Inputs)
        : new TaskArguments(Run.Slots, _node.Node.Inputs, _node.Map!.ElementAt(_node.Node.Map!, ElementIndex));

    /// <summary>
    /// Runs the attempt on the calling thread. Returns null when the attempt has settled, or a task
    /// that completes when an asynchronous attempt settles (finishes, fails or times out); the
    /// calling thread is free meanwhile.
    /// </summary>
    public Task? Execute()
    {
        // The attempt's span becomes the thread's current activity while the task's code runs; the
        // thread's own is put back afterwards so that it does not leak into the next attempt.
        var previousActivity = Activity.Current;
        if (!TryStart(out var token))
        {
            return null;
        }

        var task = Task;
        if (task.IsAsync)
        {
            _settledSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        object? result;
        ConsoleCapture? outerCapture = null;
        var logs = Run.TaskLogs;
        try
        {
            var arguments = Arguments;
            if (logs is not null && logs.Applies(task))
            {
                outerCapture = BindLogging(logs, ref arguments);
            }

            result = TaskInvocation.Call(task, in arguments, token, this, static a => a.Who);
        }
        catch (Exception ex)
        {
            Fail(ex);
            return null;
        }
        finally
        {
            if (_activity is not null)
            {
                Activity.Current = previousActivity;
            }

            if (_log?.Console is not null)
            {
                ConsoleCapture.Leave(outerCapture);
            }
        }

        if (!task.IsAsync)
        {
            Settle(TaskState.Succeeded, result, null);
            return null;
        }

        var pending = (Task)result!;
        if (pending.IsCompleted)
        {
            CompleteAsync(pending);
            return null;
        }

        _pending = pending;
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(CompletePending);
        var signal = _settledSignal!.Task;
        return signal.IsCompleted ? null : signal;
    }

    /// <summary>
    /// Gives the task's code its logger (an <c>ILogger</c> parameter) and, when the run captures console
    /// output, makes this execution context's output the attempt's records. Returns the capture to put back.
    /// </summary>
    private ConsoleCapture? BindLogging(RunLogging logs, ref TaskArguments arguments)
    {
        var log = _log ??= logs.For(this);
        if (Task.TakesLogger)
        {
            arguments = arguments.WithLogger(log);
        }

        if (!logs.CaptureConsole)
        {
            return null;
        }

        log.Console = new ConsoleCapture(log);
        return ConsoleCapture.Enter(log.Console);
    }

    /// <summary>
    /// What a worker that runs this attempt is told about its logging (<see cref="LogLevelMask"/>): the
    /// levels its task's category has enabled and whether console output is captured; 0 for nothing to send.
    /// </summary>
    internal byte LogMask => Run.TaskLogs?.MaskFor(Task) ?? 0;

    /// <summary>
    /// Writes records a worker sent for this attempt to the run's logger factory, in the attempt's
    /// scope (the executor calls this before it reports the attempt's outcome). Bytes that are not
    /// records are reported and dropped.
    /// </summary>
    /// <param name="records">One record, or records each after its length (<paramref name="framed"/>).</param>
    /// <param name="framed">Whether each record is preceded by its length.</param>
    /// <param name="source">Names the worker, for the report of bytes that are not records.</param>
    internal void RelayLogs(ReadOnlySpan<byte> records, bool framed, string source)
    {
        if (Run.TaskLogs is { } logs)
        {
            (_log ??= logs.For(this)).Relay(records, framed, Run.Logger, source);
        }
    }

    /// <summary>
    /// Marks the attempt as running and starts its timeout clock: what an executor that runs the task
    /// elsewhere calls when it hands the attempt over. Returns false (and settles the attempt as
    /// cancelled) when the run is already being cancelled.
    /// </summary>
    /// <param name="token">Cancelled when the run is cancelled or the attempt times out.</param>
    public bool TryStart(out CancellationToken token)
    {
        var run = Run;
        token = run.Token;
        if (run.IsCancelled)
        {
            Settle(TaskState.Cancelled, null, null);
            return false;
        }

        ref var stats = ref Stats;
        if (Number == 1)
        {
            stats.FirstStart = Stopwatch.GetTimestamp();
        }

        stats.Attempts = Number;
        TaskStats.SetProgress(ref stats, TaskState.Running);

        var timeoutMs = Task.TimeoutMs;
        if (timeoutMs > 0)
        {
            _timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            token = _timeout.Token;
            _timeoutRegistration = token.UnsafeRegister(static s => ((TaskAttempt)s!).OnTokenFired(), this);
            _timeout.CancelAfter(timeoutMs);
        }

        // Spans hang under the run's span, whatever thread or process the attempt runs on.
        if (FlowActivity.Source.HasListeners())
        {
            StartActivity();
        }

        run.Watchdog?.Started(this);
        if (!run.Observed)
        {
            // Nobody listens or measures: nothing to tell.
        }
        else if (Task.IsCached && run.Store is not null && run.Dispatcher.KeepsResultsElsewhere)
        {
            // Where the worker looks the cache up itself, a hit comes back as a result: told as an
            // attempt only once it is known to be one, so that a hit reads the same on every executor.
            _told = Stopwatch.GetTimestamp();
        }
        else
        {
            _told = Told;
            run.RaiseAttemptStarted(this, _node, Number == 1 ? stats.FirstStart : 0);
        }
        RunLog.TaskStarted(run.Logger, run.FlowName, this);
        return true;
    }

    /// <summary>
    /// Tells the attempt how long its code ran where it ran (a worker's own clock), before its
    /// outcome is reported: the task's record then starts when the code started, not when the
    /// attempt was handed over, so time spent queued on a worker is not counted as the task's.
    /// </summary>
    internal void NoteCodeRan(double microseconds)
    {
        if (microseconds > 0 && double.IsFinite(microseconds))
        {
            _codeRanTicks = (long)(microseconds * Stopwatch.Frequency / 1_000_000.0);
        }
    }

    /// <summary>Reports the attempt's result (for an executor that ran it elsewhere).</summary>
    public void Succeed(object? result) => Settle(TaskState.Succeeded, result, null);

    /// <summary>
    /// Reports that the attempt's code threw <paramref name="error"/>. A cancellation caused by the run
    /// or by the timeout is recorded as such; anything else fails the attempt (and may be retried).
    /// </summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is OperationCanceledException)
        {
            if (Run.IsCancelled)
            {
                Settle(TaskState.Cancelled, null, error);
                return;
            }

            if (_timeout?.IsCancellationRequested == true)
            {
                Settle(TaskState.TimedOut, null, new TaskTimedOutException(FlowName, TaskName, Task.TimeoutMs, abandoned: false));
                return;
            }
        }

        Settle(TaskState.Failed, null, error);
    }

    /// <summary>
    /// Reports that the process running the attempt died (killed, out of memory, stack overflow, fail-fast).
    /// The attempt is Crashed, distinct from Failed, and is retried on a fresh worker if retries are left.
    /// </summary>
    public void Crash(TaskCrashedException cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        Settle(TaskState.Crashed, null, cause);
    }

    /// <summary>Settles an attempt that could not start (its executor is gone) as failed.</summary>
    public void Reject(Exception reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Settle(TaskState.Failed, null, reason);
    }

    private void CompletePending() => CompleteAsync(_pending!);

    private void CompleteAsync(Task completed)
    {
        if (TaskInvocation.TryRead(Task, completed, this, static a => a.Who, out var value, out var error))
        {
            Settle(TaskState.Succeeded, value, null);
        }
        else
        {
            Fail(error!);
        }
    }

    /// <summary>How messages about the task's code name it.</summary>
    private string Who => $"Flow '{FlowName}': task '{TaskName}'";

    /// <summary>
    /// How long a timed-out attempt's code has to stop on its token. Code that does is reported as a
    /// plain timeout; code still running after it is given up: abandoned where it runs on, or killed
    /// with its worker process where the dispatcher can (<see cref="WorkDispatcher.KillsHungAttempts"/>).
    /// </summary>
    internal static readonly TimeSpan TimeoutGrace = TimeSpan.FromMilliseconds(500);

    /// <summary>The linked token fired: either the run was cancelled or the attempt ran out of time.</summary>
    private void OnTokenFired()
    {
        if (Run.Token.IsCancellationRequested || Volatile.Read(ref _settled) != 0)
        {
            return;
        }

        // The code has been asked to stop; whether it does is up to it. If it does, its own outcome
        // (Fail with a cancellation) reports the timeout; if not, the grace decides.
        _timeoutGrace = new Timer(static s => ((TaskAttempt)s!).OnTimeoutGraceOver(), this, TimeoutGrace, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The code did not stop within <see cref="TimeoutGrace"/> of its timeout.</summary>
    private void OnTimeoutGraceOver()
    {
        if (Run.Token.IsCancellationRequested || Volatile.Read(ref _settled) != 0)
        {
            return;
        }

        var killed = Run.Dispatcher.KillsHungAttempts;

        // Counted before settling, so that a run which completes with this attempt already sees it.
        if (!killed)
        {
            Interlocked.Increment(ref Stats.Abandoned);
        }

        var error = new TaskTimedOutException(FlowName, TaskName, Task.TimeoutMs, abandoned: !killed, killed: killed);
        if (Settle(TaskState.TimedOut, null, error))
        {
            // Settled first: the kill of a worker process that follows must not read as a crash.
            Run.Dispatcher.OnAbandoned(this);
        }
        else if (!killed)
        {
            Interlocked.Decrement(ref Stats.Abandoned);
        }
    }

    /// <summary>Settles the attempt once; a later outcome of the same attempt is discarded.</summary>
    private bool Settle(TaskState outcome, object? value, Exception? error)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            if (outcome != TaskState.Cancelled)
            {
                RunLog.LateOutcomeDiscarded(Run.Logger, FlowName, TaskName, Number, outcome);
            }

            return false;
        }

        // The last line the task wrote without a newline is one of its records too, before its outcome.
        _log?.Console?.Complete();

        if (outcome == TaskState.Succeeded && _timeout?.IsCancellationRequested == true && !Run.Token.IsCancellationRequested)
        {
            // The code returned after its timeout (within the grace): the timeout is the limit for success too.
            outcome = TaskState.TimedOut;
            value = null;
            error = new TaskTimedOutException(FlowName, TaskName, Task.TimeoutMs, abandoned: false);
        }

        ref var stats = ref Stats;
        if (!TaskStats.IsTerminal(Volatile.Read(ref stats.State)))
        {
            // A record already finished (its run cancelled) keeps the times it ended with.
            var end = Stopwatch.GetTimestamp();
            stats.LastEnd = end;
            if (_codeRanTicks > 0 && Number == 1 && end - _codeRanTicks > stats.FirstStart)
            {
                // The first attempt's code started later than its hand-over: it waited on its worker.
                stats.FirstStart = end - _codeRanTicks;
            }
        }

        if (HoldsSlots)
        {
            // After the record's end time: the task run this wakes starts after this one ended. Before
            // a retry is submitted: a task run waiting to be retried holds no place (Prefect's rule too).
            HoldsSlots = false;
            FlowRunState.LeaveSlots(this, Run.Limits!);
        }

        Run.Watchdog?.Settled(this);
        if (_timeout is not null)
        {
            _timeoutRegistration.Unregister();
            _timeout.Dispose();
            _timeoutGrace?.Dispose();
        }

        StopActivity(outcome, error);
        var run = Run;
        if (_told > 0 && stats.Origin != TaskOrigin.Cached)
        {
            var handedOver = _told;
            _told = Told;
            run.RaiseAttemptStarted(this, _node, handedOver);
        }
        // Retries left, and RetryOn (when set) lists the failure: a timeout as a TaskTimedOutException,
        // a crash as a TaskCrashedException.
        var retriesLeft = outcome is TaskState.Failed or TaskState.TimedOut or TaskState.Crashed && Number <= Task.Retries && !run.IsCancelled;
        var retried = retriesLeft && Task.RetriesOn(error);
        if (retried)
        {
            TaskStats.SetProgress(ref stats, TaskState.Retrying);
            stats.Error = error;
            var delay = Task.DelayBeforeRetry(Number);
            if (_told == Told)
            {
                run.RaiseAttemptSettled(this, _node, outcome, error, delay);
            }
            RunLog.TaskRetrying(run.Logger, FlowName, TaskName, Number, Task.Retries + 1, delay.TotalMilliseconds, error);
            var next = new TaskAttempt(_node, ElementIndex, Number + 1);
            if (delay == TimeSpan.Zero)
            {
                run.Submit(next);
            }
            else
            {
                next.SubmitAfter(delay);
            }
        }
        else
        {
            if (retriesLeft)
            {
                RunLog.TaskNotRetried(run.Logger, FlowName, TaskName, Number, error is null ? outcome.ToString() : ExceptionNames.OriginalType(error), Task.RetryOn);
            }

            RunLog.TaskFinished(run.Logger, FlowName, this, outcome, error);
            if (_told == Told)
            {
                run.RaiseAttemptSettled(this, _node, outcome, error, null);
            }
            if (outcome == TaskState.Succeeded && run.Store is { } store && !run.Dispatcher.KeepsResultsElsewhere)
            {
                var cacheKey = Task.IsCached ? store.TakeCacheKey(_node, ElementIndex) : null;
                store.Keep(run.NamePrefix + _node.Node.Name, ElementIndex, Task, value, cacheKey);
            }

            if (ElementIndex < 0)
            {
                run.Finish(_node, outcome, value, error);
            }
            else
            {
                run.FinishElement(_node, ElementIndex, outcome, value, error);
            }
        }

        _settledSignal?.TrySetResult();
        return true;
    }

    private void SubmitAfter(TimeSpan delay)
    {
        System.Threading.Tasks.Task.Delay(delay, Run.Token).ContinueWith(
            static (t, s) =>
            {
                var attempt = (TaskAttempt)s!;
                if (t.IsCanceled)
                {
                    // The run's token fired. Its cancellation (CancelAll, registered on the same token)
                    // finishes this task run as Cancelled: settling here could run first, inside
                    // Cancel(), and finish it before the run counts as cancelled, so that what reads
                    // it would be Skipped instead of Cancelled.
                    return;
                }
                else
                {
                    attempt.Run.Submit(attempt);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void StartActivity()
    {
        _activity = FlowActivity.Source.StartActivity("task " + TaskName, ActivityKind.Internal, Run.ActivityContext);
        if (_activity is not null)
        {
            _activity.SetTag("flows.flow", FlowName);
            _activity.SetTag("flows.task", TaskName);
            _activity.SetTag("flows.task_id", Task.Id);
            _activity.SetTag("flows.attempt", Number);
            _activity.SetTag("flows.node", StoreNode);
            if (ElementIndex >= 0)
            {
                _activity.SetTag("flows.element", ElementIndex);
            }

            _activity.SetTag("flows.run_id", Run.RunId);
            _activity.SetTag("flows.executor", Run.ExecutorName);
        }
    }

    private void StopActivity(TaskState outcome, Exception? error)
    {
        if (_activity is null)
        {
            return;
        }

        _activity.SetTag("flows.state", outcome.ToString());
        if (outcome != TaskState.Succeeded)
        {
            // OpenTelemetry's semantic conventions: error.type names the failure's class, the same
            // on every executor (a task that ran in another process names the type it threw there).
            _activity.SetStatus(ActivityStatusCode.Error, error?.Message ?? outcome.ToString());
            _activity.SetTag("error.type", error is null ? outcome.ToString() : ExceptionNames.OriginalType(error));
            if (error is not null)
            {
                _activity.AddException(error);
            }
        }

        _activity.Stop();
    }
}
