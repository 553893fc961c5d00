
namespace Flows.Cluster.Client;

/// <summary>The placement cost model: the worker where a request would start soonest, counting the wait for a thread and the input bytes to fetch.</summary>
internal sealed partial class ClusterSession
{
    /// <summary>What one worker-to-worker fetch costs beyond its bytes (a round trip of messages), in microseconds.</summary>
    private const double FetchCallMicroseconds = 50;

    /// <summary>
    /// The worker where the request would start soonest: the wait for a free thread there (tasks
    /// queued beyond its threads, at this task's usual duration), plus the time to fetch the input
    /// bytes it does not hold (about 1 GB/s). So a task goes where most of its input bytes are,
    /// unless that worker is busy enough that moving the bytes is quicker.
    /// </summary>
    private WorkerLink? ChooseWorker(ClusterRequest request)
    {
        var workers = Workers;
        var typical = request.Task.RunTime.Microseconds is var known && double.IsNaN(known) ? 100.0 : known;
        WorkerLink? best = null;
        var bestCost = double.MaxValue;
        var bestQueue = int.MaxValue;
        long total = 0;
        foreach (var input in request.Inputs)
        {
            total += input.Reference?.Size ?? 0;
        }

        foreach (var worker in workers)
        {
            if (worker.IsDead)
            {
                continue;
            }

            long local = 0;
            var remoteOwners = 0;
            WorkerLink? lastRemote = null;
            foreach (var input in request.Inputs)
            {
                if (input.Reference is not { } reference)
                {
                    continue;
                }

                if (reference.Owner == worker)
                {
                    local += Math.Max(1, reference.Size);
                }
                else if (reference.Owner != lastRemote)
                {
                    // Roughly one fetch call per other owner (inputs from one owner are fetched together).
                    lastRemote = reference.Owner;
                    remoteOwners++;
                }
            }

            var queue = worker.HoldingThreads;
            var waiting = Math.Max(0, queue + 1 - worker.Threads) * typical / worker.Threads;
            var cost = waiting + (remoteOwners * FetchCallMicroseconds) + ((total - local) / 1000.0);
            if (cost < bestCost || (cost == bestCost && queue < bestQueue))
            {
                bestCost = cost;
                bestQueue = queue;
                best = worker;
            }
        }

        return best;
    }
}
