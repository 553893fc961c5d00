using System.Collections.Concurrent;

namespace Flows;

/// <summary>
/// A fixed set of dedicated threads that run task attempts from one shared queue. A worker that
/// makes another attempt ready keeps one such attempt for itself and runs it next, so a chain of
/// tasks stays on one warm thread instead of crossing threads at every step.
/// </summary>
internal sealed class WorkerPool : WorkDispatcher
{
    [ThreadStatic]
    private static Worker? t_worker;

    private readonly ConcurrentQueue<TaskAttempt> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Worker> _workers = new();
    private int _sleepers;
    private int _nextId;
    private volatile bool _stopping;

    public WorkerPool(int workers)
    {
        lock (_workers)
        {
            for (var i = 0; i < workers; i++)
            {
                StartWorker();
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

        var worker = t_worker;
        if (worker is not null && worker.Pool == this && worker.Next is null && !worker.Retiring)
        {
            worker.Next = attempt;
            return;
        }

        _queue.Enqueue(attempt);
        WakeOne();
    }

    public override void OnAbandoned(TaskAttempt attempt)
    {
        lock (_workers)
        {
            foreach (var worker in _workers)
            {
                if (ReferenceEquals(worker.Current, attempt) && !worker.Retiring)
                {
                    // That thread is stuck in code that ignored its timeout: let it leave when the
                    // code returns, and bring in a replacement now.
                    worker.Retiring = true;
                    StartWorker();
                    return;
                }
            }
        }
    }

    public void Stop()
    {
        _stopping = true;
        int count;
        lock (_workers)
        {
            count = _workers.Count;
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

    private void StartWorker()
    {
        var worker = new Worker(this);
        _workers.Add(worker);
        var thread = new Thread(static w => ((Worker)w!).Pool.Work((Worker)w!))
        {
            IsBackground = true,
            Name = $"Flows worker {++_nextId}",
        };
        thread.Start(worker);
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

    private void Work(Worker worker)
    {
        t_worker = worker;
        while (true)
        {
            var attempt = worker.Next;
            if (attempt is not null)
            {
                worker.Next = null;
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

            worker.Current = attempt;
            attempt.Execute();
            worker.Current = null;
            if (worker.Retiring)
            {
                break;
            }
        }

        // A retiring worker hands the attempt it kept for itself to the others.
        if (worker.Next is { } kept)
        {
            worker.Next = null;
            _queue.Enqueue(kept);
            WakeOne();
        }

        lock (_workers)
        {
            _workers.Remove(worker);
        }

        t_worker = null;
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

    private sealed class Worker
    {
        public Worker(WorkerPool pool) => Pool = pool;

        public WorkerPool Pool { get; }

        /// <summary>An attempt this worker made ready and runs next, without the shared queue.</summary>
        public TaskAttempt? Next;

        /// <summary>The attempt whose code this worker is running.</summary>
        public volatile TaskAttempt? Current;

        /// <summary>Set when this worker is stuck in an abandoned attempt and a replacement was started.</summary>
        public volatile bool Retiring;
    }
}
