
namespace Flows.Processes;

/// <summary>Code that will not stop by itself: past its timeout, or still running after its run was cancelled, it is killed with its worker process (which is replaced).</summary>
internal sealed partial class ProcessPool
{
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
}
