namespace Flows;

/// <summary>
/// Runs a flow's tasks one at a time, in topological order, with no worker threads: Prefect's
/// <c>LocalExecutor</c>. The simplest to debug; data is shared by reference.
/// </summary>
/// <remarks>
/// An asynchronous task is awaited before the next one starts. A synchronous task that ignores its
/// timeout holds the run until its code returns (it is still marked TimedOut); use
/// <see cref="ThreadExecutor"/> when hung code must not hold the flow.
/// </remarks>
[ExecutorKind(ExecutorKinds.Inline)]
public sealed class LocalExecutor : FlowExecutor
{
    /// <inheritdoc />
    public override string Name => "local";

    /// <inheritdoc />
    public override int MaxParallelism => 1;

    /// <inheritdoc />
    protected internal override WorkDispatcher BeginRun() => new InlineDispatcher();

    /// <summary>
    /// One run's queue, drained by whichever thread submits first: the caller at the start of the
    /// run, or the continuation of an asynchronous task. Only one attempt runs at any time.
    /// </summary>
    private sealed class InlineDispatcher : WorkDispatcher
    {
        private readonly Queue<TaskAttempt> _ready = new();
        private readonly Action _resume;
        private bool _draining;

        public InlineDispatcher() => _resume = Drain;

        public override void Submit(TaskAttempt attempt)
        {
            lock (_ready)
            {
                _ready.Enqueue(attempt);
                if (_draining)
                {
                    return;
                }

                _draining = true;
            }

            Drain();
        }

        private void Drain()
        {
            while (true)
            {
                TaskAttempt? next;
                lock (_ready)
                {
                    if (!_ready.TryDequeue(out next))
                    {
                        _draining = false;
                        return;
                    }
                }

                var settling = next.Execute();
                if (settling is not null)
                {
                    // Resume draining when this attempt settles; the thread is free meanwhile.
                    settling.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_resume);
                    return;
                }
            }
        }
    }
}
