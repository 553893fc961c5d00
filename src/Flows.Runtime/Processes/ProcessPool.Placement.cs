using Flows.Graph;

namespace Flows.Processes;

/// <summary>Where a request goes: an idle worker, else the least loaded one that may queue it within the in-flight limit and the budget of estimated run time; else it waits in this process.</summary>
internal sealed partial class ProcessPool
{
    /// <summary>
    /// How much work, in the estimated run time of its tasks, a worker is given beyond the one it
    /// runs: enough that trivial tasks go many to a write, little enough that work waits in this
    /// process, where any worker that frees up (or joins late) can take it, rather than queued
    /// behind a slow task on one worker.
    /// </summary>
    private const double QueueBudgetMicroseconds = 2000;


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

            // The fewest requests in flight; of equals, the least estimated work.
            if (best is null || load < best.InFlight.Count || (load == best.InFlight.Count && worker.QueuedMicroseconds < best.QueuedMicroseconds))
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

    private static double EstimateOf(TaskDescriptor task) =>
        task.RunTime.Microseconds is var typical && double.IsNaN(typical) ? QueueBudgetMicroseconds : typical;

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
}
