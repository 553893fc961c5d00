using System.Collections.Concurrent;

namespace Flows;

/// <summary>
/// A fixed set of dedicated threads that run task attempts from one shared queue. A thread that
/// makes another attempt ready keeps one such attempt for itself and runs it next, so a chain of
/// tasks stays on one warm thread instead of crossing threads at every step.
/// </summary>
/// <remarks>
/// A thread stuck in code that ignores its token (past its timeout, or a grace after its run was
/// cancelled) is abandoned: it leaves when the code returns, and a replacement starts now. At most
/// <c>maxAbandoned</c> abandoned threads are replaced; past that (a thread cannot be killed) the pool
/// is exhausted: it starts no more threads and refuses tasks until abandoned threads return.
/// </remarks>
internal sealed class ThreadDispatcher : WorkDispatcher
{
    [ThreadStatic]
    private static PoolThread? t_current;

    private readonly ConcurrentQueue<TaskAttempt> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<PoolThread> _threads = new();
    private readonly int _maxAbandoned;
    private readonly TimeSpan _cancelGrace;
    private int _sleepers;
    private int _nextId;
    private volatile bool _stopping;

    /// <summary>Abandoned threads whose code still runs. Under the lock of <see cref="_threads"/>.</summary>
    private int _abandoned;

    /// <summary>Threads abandoned past the bound and not replaced; non-zero means exhausted. Under the lock.</summary>
    private int _missing;

    public ThreadDispatcher(int threads, int maxAbandoned, TimeSpan cancelGrace)
    {
        _maxAbandoned = maxAbandoned;
        _cancelGrace = cancelGrace;
        lock (_threads)
        {
            for (var i = 0; i < threads; i++)
            {
                StartThread();
            }
        }
    }

    /// <summary>How many abandoned threads still run their code.</summary>
    public int AbandonedThreads
    {
        get
        {
            lock (_threads)
            {
                return _abandoned;
            }
        }
    }

    public override void Submit(TaskAttempt attempt)
    {
        if (_stopping)
        {
            RejectDisposed(attempt);
            return;
        }

        if (Volatile.Read(ref _missing) != 0)
        {
            RejectExhausted(attempt);
            return;
        }

        var pooled = t_current;
        if (pooled is not null && pooled.Pool == this && pooled.Next is null && !pooled.Retiring)
        {
            pooled.Next = attempt;
            return;
        }

        _queue.Enqueue(attempt);
        WakeOne();
    }

    public override void OnAbandoned(TaskAttempt attempt)
    {
        lock (_threads)
        {
            foreach (var pooled in _threads)
            {
                if (ReferenceEquals(pooled.Current, attempt) && !pooled.Retiring)
                {
                    // That thread is stuck in code that ignored its timeout: let it leave when the
                    // code returns, and bring in a replacement now.
                    Abandon(pooled, attempt, $"ran past its TimeoutMs of {attempt.Task.TimeoutMs} ms");
                    break;
                }
            }
        }

        RejectQueuedIfExhausted();
    }

    internal override void OnRunCancelled()
    {
        // The cancelled attempts were asked to stop; those whose code still runs after the grace
        // ignore their token and would hold their threads (and the executor) for as long as they run.
        Task.Delay(_cancelGrace).ContinueWith(
            static (_, s) => ((ThreadDispatcher)s!).AbandonCancelled(),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Throws when the pool is exhausted: what a run that is about to start should see, rather than
    /// tasks that wait for threads that never come.
    /// </summary>
    public void ThrowIfExhausted()
    {
        string? message;
        lock (_threads)
        {
            message = _missing == 0 ? null : DescribeExhaustion();
        }

        if (message is not null)
        {
            throw new FlowExecutorException("threads", message);
        }
    }

    private void AbandonCancelled()
    {
        lock (_threads)
        {
            if (_stopping)
            {
                return;
            }

            foreach (var pooled in _threads.ToArray())
            {
                if (pooled.Current is { IsRunCancelled: true } attempt && !pooled.Retiring)
                {
                    Abandon(pooled, attempt, $"was cancelled {_cancelGrace.TotalMilliseconds:F0} ms ago");
                }
            }
        }

        RejectQueuedIfExhausted();
    }

    /// <summary>Retires a thread stuck in <paramref name="attempt"/>; replaces it while within the bound. Under the lock.</summary>
    private void Abandon(PoolThread pooled, TaskAttempt attempt, string why)
    {
        pooled.Retiring = true;
        _abandoned++;
        if (_abandoned <= _maxAbandoned)
        {
            RunLog.WorkerAbandoned(attempt.Logger, attempt.FlowName, attempt.TaskName, why, _abandoned, _maxAbandoned);
            StartThread();
        }
        else
        {
            RunLog.ExecutorExhausted(attempt.Logger, attempt.FlowName, attempt.TaskName, _abandoned, _maxAbandoned);
            _missing++;
        }
    }

    /// <summary>Once exhausted, the queued attempts fail at once instead of waiting for threads that may never come.</summary>
    private void RejectQueuedIfExhausted()
    {
        if (Volatile.Read(ref _missing) == 0)
        {
            return;
        }

        while (_queue.TryDequeue(out var attempt))
        {
            RejectExhausted(attempt);
        }
    }

    private void RejectExhausted(TaskAttempt attempt)
    {
        string message;
        lock (_threads)
        {
            message = DescribeExhaustion();
        }

        if (attempt.TryStart(out _))
        {
            attempt.Reject(new FlowExecutorException("threads", $"Flow '{attempt.FlowName}': task '{attempt.TaskName}' could not start: {message}"));
        }
    }

    /// <summary>Under the lock.</summary>
    private string DescribeExhaustion()
    {
        var stuck = _threads
            .Where(w => w.Retiring && w.Current is not null)
            .Select(w => $"'{w.Current!.TaskName}' of flow '{w.Current!.FlowName}'")
            .ToArray();
        return $"the ThreadExecutor has {_abandoned} abandoned worker thread(s) still running code that ignored its timeout or cancellation " +
               $"({string.Join(", ", stuck)}), more than its bound of {_maxAbandoned}, so it refuses new tasks until they return. " +
               "A thread cannot be killed: make those tasks observe their CancellationToken, run them on a ProcessExecutor (which kills such code), " +
               "or restart the process to stop them.";
    }

    public void Stop()
    {
        _stopping = true;
        int count;
        lock (_threads)
        {
            count = _threads.Count;
        }

        _wake.Release(count);
        while (_queue.TryDequeue(out var attempt))
        {
            RejectDisposed(attempt);
        }
    }

    private static void RejectDisposed(TaskAttempt attempt) =>
        attempt.Reject(new ObjectDisposedException(
            nameof(ThreadExecutor),
            $"Flow '{attempt.FlowName}': task '{attempt.TaskName}' could not start because its ThreadExecutor was disposed during the run. Dispose the executor only after its runs have finished."));

    private void StartThread()
    {
        var pooled = new PoolThread(this);
        _threads.Add(pooled);
        var thread = new Thread(static w => ((PoolThread)w!).Pool.Work((PoolThread)w!))
        {
            IsBackground = true,
            Name = $"Flows thread {++_nextId}",
        };
        thread.Start(pooled);
    }

    private void WakeOne()
    {
        while (true)
        {
            var sleepers = Volatile.Read(ref _sleepers);
            if (sleepers == 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _sleepers, sleepers - 1, sleepers) == sleepers)
            {
                _wake.Release();
                return;
            }
        }
    }

    private void Work(PoolThread pooled)
    {
        t_current = pooled;
        while (true)
        {
            var attempt = pooled.Next;
            if (attempt is not null)
            {
                pooled.Next = null;
            }
            else if (!TryTake(out attempt))
            {
                if (_stopping)
                {
                    break;
                }

                Sleep();
                continue;
            }

            pooled.Current = attempt;
            attempt.Execute();
            pooled.Current = null;
            if (pooled.Retiring)
            {
                break;
            }
        }

        // A retiring thread hands the attempt it kept for itself to the others.
        if (pooled.Next is { } kept)
        {
            pooled.Next = null;
            _queue.Enqueue(kept);
            WakeOne();
        }

        lock (_threads)
        {
            _threads.Remove(pooled);
            if (pooled.Retiring)
            {
                // An abandoned thread's code returned: within the bound again, the threads that
                // were not replaced come back.
                _abandoned--;
                while (_missing > 0 && _abandoned <= _maxAbandoned && !_stopping)
                {
                    _missing--;
                    StartThread();
                }
            }
        }

        RejectQueuedIfExhausted();
        t_current = null;
    }

    private bool TryTake(out TaskAttempt attempt)
    {
        if (_queue.TryDequeue(out attempt!))
        {
            return true;
        }

        // Work often arrives in bursts (a fan-out, an async completion): spin briefly before sleeping.
        var spinner = default(SpinWait);
        for (var i = 0; i < 20; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (_queue.TryDequeue(out attempt!))
            {
                return true;
            }
        }

        return false;
    }

    private void Sleep()
    {
        Interlocked.Increment(ref _sleepers);

        // Re-check after announcing: a producer that enqueued before it saw us will not wake us.
        if (!_queue.IsEmpty || _stopping)
        {
            WithdrawSleeper();
            return;
        }

        _wake.Wait();
    }

    /// <summary>Takes back our sleeper mark; if a producer already took it, consume its wake-up instead.</summary>
    private void WithdrawSleeper()
    {
        while (true)
        {
            var sleepers = Volatile.Read(ref _sleepers);
            if (sleepers == 0)
            {
                _wake.Wait();
                return;
            }

            if (Interlocked.CompareExchange(ref _sleepers, sleepers - 1, sleepers) == sleepers)
            {
                return;
            }
        }
    }

    private sealed class PoolThread
    {
        public PoolThread(ThreadDispatcher pool) => Pool = pool;

        public ThreadDispatcher Pool { get; }

        /// <summary>An attempt this thread made ready and runs next, without the shared queue.</summary>
        public TaskAttempt? Next;

        /// <summary>The attempt whose code this thread is running.</summary>
        public volatile TaskAttempt? Current;

        /// <summary>Set when this thread is stuck in an abandoned attempt and a replacement was started.</summary>
        public volatile bool Retiring;
    }
}
