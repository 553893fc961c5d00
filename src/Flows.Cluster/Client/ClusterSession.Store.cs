using Flows.Cluster.Protocol;

namespace Flows.Cluster.Client;

/// <summary>Successes of requests that named their run's store: what the worker did with it is recorded for the run.</summary>
internal sealed partial class ClusterSession
{
    /// <summary>
    /// Settles a successful attempt: taken from the cache when its worker found it there; a store the
    /// worker could not use (or a worker that predates stores and ignored it) becomes the run's store
    /// error (<see cref="FlowRun.StoreError"/>), recorded before the attempt settles so that the run
    /// already shows it when this was its last task. The result is fine either way.
    /// </summary>
    private static void SucceedStored(WorkerLink link, ClusterRequest request, TaskAttempt attempt, TaskOutcome outcome, object? result)
    {
        if (request.Store is { } asked && attempt.Store is { } store)
        {
            switch (outcome.Store)
            {
                case StoreUse.FromCache:
                    attempt.SucceedFromCache(result);
                    return;
                case StoreUse.Failed:
                    store.WriteFailed(new FlowStoreException(
                        asked.Path,
                        $"Flow '{attempt.FlowName}': task '{attempt.TaskName}' ran on worker {link.Key}, which could not keep its result in the store: {outcome.StoreError ?? "no reason given"}"));
                    break;
                case StoreUse.NotAsked:
                    store.WriteFailed(new FlowStoreException(
                        asked.Path,
                        $"Flow '{attempt.FlowName}': worker {link.Key} did not keep the result of task '{attempt.TaskName}' in the store '{asked.Path}': it runs a Flows.Cluster build without stores. " +
                        "Update the workers to the flow process's Flows version, or connect with ClusterConnectOptions.WorkersReachStore = false."));
                    break;
            }
        }

        attempt.Succeed(result);
    }
}
