namespace Flows;

/// <summary>The outcome of one flow run: its state, and one record per task run.</summary>
public partial class FlowRun
{
    internal FlowRun(string flowName, FlowState state, IReadOnlyList<TaskRun> tasks, DateTimeOffset start, TimeSpan duration)
    {
        FlowName = flowName;
        State = state;
        Tasks = tasks;
        Start = start;
        Duration = duration;
    }

    /// <summary>
    /// Bytes of task inputs and results that crossed a process boundary during the run: zero in
    /// process; on a cluster, what travelled between the flow process and workers and worker to worker.
    /// </summary>
    public long BytesMoved { get; internal init; }

    /// <summary>What the cluster's workers did about their memory limits during the run: spills, read backs, pauses, restarts (all zero elsewhere).</summary>
    public WorkerMemoryStats WorkerMemory { get; internal init; } = new();

    /// <summary>The flow's name.</summary>
    public string FlowName { get; }

    /// <summary>
    /// The run's id: <see cref="FlowRunOptions.RunId"/>, or the unique one it was given. With a store,
    /// what <c>ResumeAsync</c> takes to resume the run.
    /// </summary>
    public string RunId { get; internal init; } = string.Empty;

    /// <summary>
    /// The first write to the run's store that failed (a full disk, a damaged store), or null when every
    /// checkpoint and cache entry was written (and without a store). The run's results do not depend
    /// on it; a resume runs again what the missing checkpoints would have restored.
    /// </summary>
    public FlowStoreException? StoreError { get; internal init; }

    /// <summary>How the run ended.</summary>
    public FlowState State { get; }

    /// <summary>Whether every task succeeded.</summary>
    public bool Succeeded => State == FlowState.Succeeded;

    /// <summary>One record per task run, in graph order (mapped elements in element order).</summary>
    public IReadOnlyList<TaskRun> Tasks { get; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>
    /// The first task that failed, timed out or crashed, else the first cancelled one, else the first
    /// element of a <c>Flow.TryMap</c> that failed (kept as its outcome, it did not fail the run), if any.
    /// </summary>
    public TaskRun? FirstFailure
    {
        get
        {
            TaskRun? cancelled = null;
            TaskRun? kept = null;
            foreach (var task in Tasks)
            {
                if (TaskStats.IsFailure((int)task.State))
                {
                    if (!task.FailureKept)
                    {
                        return task;
                    }

                    kept ??= task;
                }

                if (task.State == TaskState.Cancelled && cancelled is null)
                {
                    cancelled = task;
                }
            }

            return cancelled ?? kept;
        }
    }

    /// <summary>Throws <see cref="FlowFailedException"/> unless the run succeeded.</summary>
    public void EnsureSucceeded()
    {
        if (State != FlowState.Succeeded)
        {
            throw CreateFailure();
        }
    }

    internal FlowFailedException CreateFailure()
    {
        var failed = FirstFailure;
        string message;
        if (State == FlowState.Cancelled)
        {
            message = failed is null
                ? $"Flow '{FlowName}' was cancelled before any task ran."
                : $"Flow '{FlowName}' was cancelled; task '{failed.Name}' was {Describe(failed.State)}.";
        }
        else if (failed is null)
        {
            message = $"Flow '{FlowName}' did not succeed (state {State}).";
        }
        else
        {
            var cause = failed.Exception is null ? string.Empty : $": {ExceptionNames.Short(ExceptionNames.OriginalType(failed.Exception))}: {failed.Exception.Message.TrimEnd('.')}";
            var attempts = failed.Attempts == 1 ? "1 attempt" : $"{failed.Attempts} attempts";
            var skipped = Tasks.Count(t => t.State == TaskState.Skipped && t.SkipReason != TaskRun.BranchNotTaken);
            var downstream = skipped == 0 ? string.Empty : $" {skipped} downstream task(s) were skipped.";
            message = $"Flow '{FlowName}' failed: task '{failed.Name}' {Describe(failed.State)} after {attempts}{cause}.{downstream} " +
                      "See run.Tasks for every task's state; the inner exception is the task's own.";
        }

        return new FlowFailedException(FlowName, State, failed, message);
    }

    private static string Describe(TaskState state) => state switch
    {
        TaskState.TimedOut => "timed out",
        TaskState.Crashed => "crashed",
        TaskState.Cancelled => "cancelled",
        TaskState.Failed => "failed",
        _ => state.ToString().ToLowerInvariant(),
    };
}

/// <summary>The outcome of one run of a flow that returns <typeparamref name="T"/>.</summary>
public sealed class FlowRun<T> : FlowRun
{
    private readonly T _result;

    internal FlowRun(string flowName, FlowState state, IReadOnlyList<TaskRun> tasks, DateTimeOffset start, TimeSpan duration, T result)
        : base(flowName, state, tasks, start, duration)
    {
        _result = result;
    }

    /// <summary>The flow's result; throws <see cref="FlowFailedException"/> if the run did not succeed.</summary>
    public T Result
    {
        get
        {
            EnsureSucceeded();
            return _result;
        }
    }
}
