using System.Collections.Concurrent;
using Flows.Cluster.Protocol;
using Flows.Storage;

namespace Flows.Cluster.Worker;

/// <summary>
/// The stores this worker writes results to: each opened once per path, on first use, and kept for
/// the worker's life (a store's writer thread and connection serve every run that uses it).
/// </summary>
internal sealed class WorkerStores : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<FlowStore>> _open = new(StringComparer.Ordinal);
    private readonly string _worker;

    public WorkerStores(string worker)
    {
        _worker = worker;
    }

    /// <summary>
    /// One request's use of its run's store, or null with <paramref name="error"/> saying why the
    /// store cannot be used here. Only a folder that already holds a store is opened: the flow process
    /// created it, so a worker that finds none there does not see the same folder, and must not make
    /// a store of its own that nothing would read.
    /// </summary>
    public RunStore? Open(StoreRequest request, out string? error)
    {
        error = null;
        var path = request.Path;
        if (!System.IO.Path.IsPathFullyQualified(path) || !File.Exists(System.IO.Path.Combine(path, StoreSchema.DatabaseFile)))
        {
            error = $"Worker {_worker} on {Environment.MachineName} does not see the store '{path}' (no {StoreSchema.DatabaseFile} there), so it could not keep the result of run '{request.RunId}'. " +
                "Give every worker the store's folder at the same path, or connect with ClusterConnectOptions.WorkersReachStore = false so that the flow process writes the store.";
            return null;
        }

        var lazy = _open.GetOrAdd(path, static p => new Lazy<FlowStore>(() => FlowStore.Open(p), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return new RunStore(lazy.Value, request.RunId, request.Flow, logger: null, checkpoints: null);
        }
        catch (Exception ex)
        {
            // Not kept as this path's store: the next request tries again (the cause may pass).
            _open.TryRemove(new KeyValuePair<string, Lazy<FlowStore>>(path, lazy));
            error = $"Worker {_worker} could not open the store '{path}': {ex.Message}";
            return null;
        }
    }

    /// <summary>Commits what is queued and closes the stores.</summary>
    public void Dispose()
    {
        foreach (var store in _open.Values)
        {
            if (store.IsValueCreated)
            {
                store.Value.Dispose();
            }
        }
    }
}
