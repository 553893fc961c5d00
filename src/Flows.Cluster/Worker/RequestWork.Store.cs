using Flows.Cluster.Protocol;
using Flows.Graph;
using Flows.Storage;

namespace Flows.Cluster.Worker;

/// <summary>
/// A request that names its run's store: the worker looks a cached task's result up before running
/// it, and keeps the result (checkpoint, cache entry) itself, committed before the success is sent,
/// so that a checkpoint is durable once its task is reported Succeeded. A store that fails never
/// fails the task: the outcome says what went wrong and the flow process records it for the run.
/// </summary>
internal sealed partial class RequestWork
{
    private RunStore? _store;
    private string? _storeError;
    private byte[]? _cacheKey;

    /// <summary>
    /// Opens the request's store and, for a cached task, looks up its result by the same key the flow
    /// process would compute (the inputs as the task's codec writes them). True when it was there:
    /// the success is already sent and the code is not run.
    /// </summary>
    private bool TryTakeCached(TaskDescriptor task, StoreRequest asked)
    {
        _store = _host.Stores.Open(asked, out _storeError);
        if (_store is null || !asked.Cached || !task.IsCached)
        {
            return false;
        }

        // Inputs that do not serialize have no key: the task runs, uncached.
        var name = RunStore.NameOf(asked.Node, asked.Element);
        var arguments = TaskArguments.FromValues(_values);
        _cacheKey = RunStore.TryCacheKeyOf(task, in arguments, null, asked.Flow, name);
        if (_cacheKey is null || !_store.TryCached(_cacheKey, task, name, out var cached))
        {
            return false;
        }

        Report(task, cached, 0, StoreUse.FromCache, null);
        return true;
    }

    /// <summary>Keeps the result in the store, waits until the store's writer has committed it, then sends the success.</summary>
    private async Task KeepThenReportAsync(TaskDescriptor task, object? result, double micros)
    {
        var store = _store!;
        var asked = _request.Store!;
        string? error;
        try
        {
            store.Keep(asked.Node, asked.Element, task, result, _cacheKey);
            await store.Store.Writer.FlushAsync().ConfigureAwait(false);
            error = store.WriteError?.Message;
        }
        catch (Exception ex)
        {
            error = $"Worker {_host.Key} could not write the store '{asked.Path}': {ex.GetType().Name}: {ex.Message}";
        }

        Report(task, result, micros, error is null ? StoreUse.Kept : StoreUse.Failed, error);
    }
}
