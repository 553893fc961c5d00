using Flows.Cluster.Protocol;
using Flows.Storage;

namespace Flows.Cluster.Client;

/// <summary>
/// A stored run on the cluster: results stay where they were made. Where the workers reach the run's
/// store (<see cref="ClusterSession.WorkersReachStore"/>), the worker that makes a result keeps it in
/// the store and looks cached results up there; elsewhere the results of tasks the store keeps come
/// back to this process, which writes them (and looks the cache up first when the inputs are here).
/// The scheduler restores a resumed run's checkpoints itself, as on every executor.
/// </summary>
internal sealed partial class ClusterRunDispatcher
{
    /// <summary>The scheduler neither keeps results nor looks the cache up for this run: they are rarely here (see <see cref="PlanStore"/>).</summary>
    internal override bool KeepsResultsElsewhere => true;

    /// <summary>
    /// How the attempt's result reaches the run's store. False when the attempt has settled instead:
    /// its result was in the cache, looked up here.
    /// </summary>
    private static bool PlanStore(ClusterSession session, TaskAttempt attempt, ClientInput[] inputs, out StorePlan plan)
    {
        plan = default;
        var task = attempt.Task;
        if (attempt.Store is not { } store || !(task.Checkpoint || task.IsCached))
        {
            return true;
        }

        if (session.WorkersReachStore)
        {
            plan = new StorePlan(
                new StoreRequest
                {
                    Path = store.Store.Path,
                    RunId = store.RunId,
                    Flow = attempt.FlowName,
                    Node = attempt.StoreNode,
                    Element = attempt.ElementIndex,
                    Checkpoint = task.Checkpoint,
                    Cached = task.IsCached,
                },
                KeptHere: false,
                CacheKey: null);
            return true;
        }

        // The key hashes the inputs' bytes: computed only when they are all here (a result kept on a
        // worker would have to be fetched to hash it; such a task just runs).
        byte[]? key = null;
        if (task.IsCached && Array.TrueForAll(inputs, static i => i.Reference is null))
        {
            var arguments = attempt.Arguments;
            key = RunStore.TryCacheKeyOf(task, in arguments, attempt.Logger, attempt.FlowName, attempt.TaskName);
            if (key is not null && store.TryCached(key, task, attempt.TaskName, out var cached))
            {
                if (attempt.TryStart(out _))
                {
                    attempt.SucceedFromCache(cached);
                }

                return false;
            }
        }

        plan = new StorePlan(null, KeptHere: true, key);
        return true;
    }

    /// <summary>What <see cref="PlanStore"/> decided: the worker keeps the result (<paramref name="OnWorker"/>), or this process does.</summary>
    private readonly record struct StorePlan(StoreRequest? OnWorker, bool KeptHere, byte[]? CacheKey);
}
