namespace Flows.Cluster.Client;

/// <summary>
/// Work that waits in the flow process rather than queued on a worker. A worker is given tasks
/// beyond its threads only while their estimated run time stays within a small budget: enough that
/// trivial tasks keep every thread busy between polls, little enough that a slow task's followers
/// wait here, where whichever worker frees a thread first (or joins late, or replaces a dead one)
/// takes them, instead of queuing behind it on one worker.
/// </summary>
internal sealed partial class ClusterSession
{
    /// <summary>The estimated run time a worker may have queued beyond its threads, per thread.</summary>
    private const double QueueBudgetMicroseconds = 5000;

    /// <summary>Tasks that usually run shorter than this are never held back.</summary>
    private const double ShortTaskMicroseconds = 1000;

    /// <summary>Requests waiting for a thread, oldest first; guarded by itself.</summary>
    private readonly Queue<ClusterRequest> _waiting = new();

    private int _waitingCount;

    /// <summary>
    /// Whether the request should wait rather than go to <paramref name="worker"/> now: a first
    /// attempt of a synchronous task (an asynchronous one holds no thread while it awaits) when every
    /// thread there is taken and the work queued would pass the budget. A task not yet measured is
    /// taken as long: it waits as soon as no thread is free; one that usually runs under a
    /// millisecond never waits.
    /// </summary>
    private bool ShouldWait(WorkerLink worker, ClusterRequest request)
    {
        var beyondThreads = worker.HoldingThreads + 1 - worker.Threads;
        if (beyondThreads <= 0)
        {
            return false;
        }

        var typical = request.Task.RunTime.Microseconds;
        if (double.IsNaN(typical))
        {
            return true;
        }

        if (typical < ShortTaskMicroseconds)
        {
            // Short tasks go at once, as many as the worker is sent: holding them back costs more
            // (a poll round trip per release) than a late worker could win (measured: 25 % on a
            // tree of trivial tasks whose inputs are fetched between workers).
            return false;
        }

        return beyondThreads * typical / worker.Threads > QueueBudgetMicroseconds;
    }

    private static bool MayWait(ClusterRequest request) => request.Attempt is not null && !request.Started && !request.Task.IsAsync;

    /// <summary>Puts the request behind those already waiting; false if it should go now.</summary>
    private bool TryWait(WorkerLink worker, ClusterRequest request)
    {
        if (!MayWait(request))
        {
            return false;
        }

        // Most requests go at once: that is decided without the lock.
        if (Volatile.Read(ref _waitingCount) == 0 && !ShouldWait(worker, request))
        {
            return false;
        }

        lock (_waiting)
        {
            _waiting.Enqueue(request);
            Volatile.Write(ref _waitingCount, _waiting.Count);
        }

        // It may have found others waiting while a thread is free: let the oldest go.
        DispatchWaiting();
        return true;
    }

    /// <summary>Sends waiting requests, oldest first, while some worker can take them now.</summary>
    private void DispatchWaiting()
    {
        if (Volatile.Read(ref _waitingCount) == 0)
        {
            return;
        }

        SendBurst.Enter();
        try
        {
            while (true)
            {
                ClusterRequest? next;
                lock (_waiting)
                {
                    if (!_waiting.TryPeek(out next))
                    {
                        return;
                    }

                    if (ChooseWorker(next) is { } worker && ShouldWait(worker, next))
                    {
                        return;
                    }

                    _waiting.Dequeue();
                    Volatile.Write(ref _waitingCount, _waiting.Count);
                }

                Dispatch(next, fromWaiting: true);
            }
        }
        finally
        {
            SendBurst.Exit();
        }
    }

    /// <summary>Rejects what still waits when the session closes.</summary>
    private void RejectWaiting(Exception reason)
    {
        ClusterRequest[] left;
        lock (_waiting)
        {
            left = _waiting.ToArray();
            _waiting.Clear();
            Volatile.Write(ref _waitingCount, 0);
        }

        foreach (var request in left)
        {
            if (request.Attempt is { } attempt && attempt.TryStart(out _))
            {
                attempt.Reject(reason);
            }
        }
    }
}
