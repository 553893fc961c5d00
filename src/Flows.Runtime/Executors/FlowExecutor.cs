namespace Flows;

/// <summary>
/// Decides where a ready task runs. The scheduler owns everything else (states, retries,
/// timeouts, cancellation, results), so an executor is small: it hands each run a
/// <see cref="WorkDispatcher"/>, and the dispatcher runs the attempts it is given.
/// </summary>
public abstract class FlowExecutor : IDisposable, IAsyncDisposable
{
    /// <summary>A short name for reports and benchmarks (<c>local</c>, <c>threads</c>, ...).</summary>
    public abstract string Name { get; }

    /// <summary>How many tasks may run at the same time.</summary>
    public abstract int MaxParallelism { get; }

    /// <summary>
    /// Tag limits shared by every run on this executor (global, like Prefect's tag limits): at most
    /// <c>n</c> task runs of a tag's tasks are in progress at once across all those runs and all the
    /// executor's workers. None (null) by default: a run's own limits (<c>[Task(MaxConcurrency = n)]</c>,
    /// <see cref="FlowRunOptions.TagLimits"/>) hold per run. A run reads it when it starts; both kinds apply.
    /// </summary>
    public ConcurrencyLimits? Limits { get; set; }

    /// <summary>
    /// Whether the executor can run tasks now, and how many of its workers are alive: what a health check reports.
    /// Cheap and side-effect free (it starts nothing); an executor that would have to ask elsewhere bounds the
    /// question by <paramref name="cancellationToken"/>. By default, Healthy: an executor that runs tasks in this
    /// process is as healthy as the process.
    /// </summary>
    public virtual ValueTask<ExecutorHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ExecutorHealth(ExecutorHealthStatus.Healthy, $"The {Name} executor runs tasks in this process ({MaxParallelism} at a time)."));

    /// <summary>Called at the start of every run: where that run's ready attempts go.</summary>
    protected internal abstract WorkDispatcher BeginRun();

    /// <summary>Stops the executor's workers. Runs still in flight are not waited for.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc cref="Dispose()" />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the executor's workers asynchronously; by default, <see cref="Dispose(bool)"/>.</summary>
    protected virtual ValueTask DisposeAsyncCore()
    {
        Dispose(disposing: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the executor's workers.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Runs the task attempts of one or more flow runs.</summary>
public abstract class WorkDispatcher
{
    /// <summary>
    /// Runs <paramref name="attempt"/> by calling <see cref="TaskAttempt.Execute"/>, now or later,
    /// on a thread the dispatcher chooses. Called from any thread; must not block.
    /// </summary>
    public abstract void Submit(TaskAttempt attempt);

    /// <summary>
    /// Called before a burst of submissions from one thread (a run's roots, a mapped node's elements).
    /// A dispatcher that sends attempts elsewhere may hold them back until <see cref="EndBurst"/> and
    /// send them together. Bursts may nest.
    /// </summary>
    public virtual void BeginBurst()
    {
    }

    /// <summary>Ends what <see cref="BeginBurst"/> began.</summary>
    public virtual void EndBurst()
    {
    }

    /// <summary>
    /// Bytes of task inputs and results this dispatcher moved between processes so far (0 for a
    /// dispatcher that runs everything in the flow process). Reported as <see cref="FlowRun.BytesMoved"/>.
    /// </summary>
    public virtual long BytesMoved => 0;

    /// <summary>What the workers did about their memory for this run (<see cref="FlowRun.WorkerMemory"/>); null: nothing to tell.</summary>
    internal virtual WorkerMemoryStats? WorkerMemory => null;

    /// <summary>The event stream of the top-level run this dispatcher serves (set when it begins), for what only the dispatcher sees.</summary>
    internal EventSink? RunEvents { get; set; }

    /// <summary>
    /// Called once when the top-level run that began this dispatcher has ended (after every
    /// subflow): a dispatcher that holds results elsewhere frees what is left of them.
    /// </summary>
    public virtual void RunEnded()
    {
    }

    /// <summary>
    /// Whether <see cref="OnAbandoned"/> stops hung code by killing the worker process it runs in
    /// (so that a timed-out attempt is reported killed, not abandoned).
    /// </summary>
    internal virtual bool KillsHungAttempts => false;

    /// <summary>
    /// Whether results may stay where they were made (a cluster's workers), so that what the
    /// scheduler is handed is a reference and not the value: checkpoints and cache entries are then
    /// the dispatcher's own business, not the scheduler's.
    /// </summary>
    internal virtual bool KeepsResultsElsewhere => false;

    /// <summary>
    /// Told when the scheduler drops an intermediate result of a chain of maps that it was handed (a
    /// reference, where <see cref="KeepsResultsElsewhere"/>): nobody reads it any more, so a dispatcher
    /// that keeps it elsewhere may free it there. Told once per result; the value may already be freed.
    /// </summary>
    internal virtual void Discard(object? value)
    {
    }

    /// <summary>
    /// Told when an attempt timed out while its code still runs: a dispatcher whose worker is stuck
    /// in that code may bring in a replacement worker.
    /// </summary>
    public virtual void OnAbandoned(TaskAttempt attempt)
    {
    }

    /// <summary>
    /// Told when a run that uses this dispatcher is cancelled. Its attempts were asked to stop; a
    /// dispatcher whose workers may be stuck in code that ignores its token frees them after a grace.
    /// </summary>
    internal virtual void OnRunCancelled()
    {
    }
}
