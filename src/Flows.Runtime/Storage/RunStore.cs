using System.Buffers;
using System.Security.Cryptography;
using Flows.Graph;
using Microsoft.Extensions.Logging;

namespace Flows.Storage;

/// <summary>
/// One run's use of its store, shared by the run and its subflows: checkpoints what succeeds,
/// restores what an earlier run of the same id left (on a resume), looks up and fills the cache.
/// A value that cannot be read back (damaged, or written by another serializer) is recomputed and
/// logged, never decoded into a wrong result.
/// </summary>
internal sealed class RunStore
{
    private readonly IReadOnlyDictionary<(string Node, int Element), StoredCheckpoint>? _checkpoints;
    private readonly ILogger? _logger;
    private FlowStoreException? _writeError;

    public RunStore(FlowStore store, string runId, string flowName, ILogger? logger, IReadOnlyDictionary<(string Node, int Element), StoredCheckpoint>? checkpoints)
    {
        Store = store;
        RunId = runId;
        FlowName = flowName;
        _logger = logger;
        _checkpoints = checkpoints is { Count: > 0 } ? checkpoints : null;
    }

    /// <summary>
    /// The cache keys of cached task runs whose lookup missed, until their result is kept under them
    /// (here rather than on every node and element: only cached tasks have one).
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(object Node, int Element), byte[]> _pendingCacheKeys = new();

    public FlowStore Store { get; }

    public void RememberCacheKey(object node, int element, byte[] key) => _pendingCacheKeys[(node, element)] = key;

    /// <summary>
    /// Whether a checkpoint or the cache can take this task's runs (a resume with checkpoints, or a
    /// cached task): every other run is submitted at once, without the restore queue.
    /// </summary>
    public bool MayTake(TaskDescriptor task) => _checkpoints is not null || task.IsCached;

    /// <summary>The key <see cref="RememberCacheKey"/> noted for this task run, if any (removed: a retry that succeeds keeps it once).</summary>
    public byte[]? TakeCacheKey(object node, int element) => _pendingCacheKeys.TryRemove((node, element), out var key) ? key : null;

    public string RunId { get; }

    public string FlowName { get; }

    /// <summary>The first write of this run that failed (a full disk, a damaged store); null while all went in.</summary>
    public FlowStoreException? WriteError => Volatile.Read(ref _writeError);

    /// <summary>
    /// The result the interrupted run had for this task run, when its checkpoint is there, was made
    /// by the same task code and reads back intact.
    /// </summary>
    public bool TryRestore(string node, int element, TaskDescriptor task, out object? value)
    {
        value = null;
        if (_checkpoints is null || !_checkpoints.TryGetValue((node, element), out var checkpoint) || task.Codec is not { } codec)
        {
            return false;
        }

        var name = NameOf(node, element);
        if (!string.Equals(checkpoint.TaskId, task.Id, StringComparison.Ordinal) || !string.Equals(checkpoint.CodeHash, task.CodeHash, StringComparison.Ordinal))
        {
            StoreLog.CheckpointNotUsed(_logger, FlowName, name, RunId, "it was made by other task code");
            return false;
        }

        var identity = StoredValue.CheckpointIdentity(RunId, node, element, task.Id, task.CodeHash);
        if (!TryDecode(checkpoint.Value, identity, codec, out value, out var problem))
        {
            StoreLog.CheckpointNotUsed(_logger, FlowName, name, RunId, problem!);
            return false;
        }

        return true;
    }

    /// <summary>A task run as its records and logs name it: <c>Node</c>, or <c>Node[i]</c> for element i of a map.</summary>
    public static string NameOf(string node, int element) => element < 0 ? node : $"{node}[{element}]";

    /// <summary>
    /// The cache key of a call (<see cref="CacheKeyOf"/>), or null when its inputs do not serialize:
    /// such a call has no key and runs uncached, which <paramref name="logger"/> is told.
    /// </summary>
    public static byte[]? TryCacheKeyOf(TaskDescriptor task, in TaskArguments arguments, ILogger? logger, string flow, string name)
    {
        try
        {
            return CacheKeyOf(task, in arguments);
        }
        catch (Exception ex) when (ex is FlowSerializationException or InvalidCastException or NotSupportedException)
        {
            StoreLog.CachedNotUsed(logger, flow, name, $"its inputs cannot be serialized for the cache key ({ex.Message.TrimEnd('.')})");
            return null;
        }
    }

    /// <summary>The cache key of a call: the task's cache name and code hash, and the exact bytes of its inputs.</summary>
    public static byte[] CacheKeyOf(TaskDescriptor task, in TaskArguments arguments)
    {
        var inputs = new ArrayBufferWriter<byte>();
        task.Codec!.WriteArguments(in arguments, inputs);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(task.CacheKey));
        hash.AppendData([0]);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(task.CodeHash!));
        hash.AppendData([0]);
        hash.AppendData(inputs.WrittenSpan);
        return hash.GetHashAndReset();
    }

    /// <summary>A cached result under <paramref name="key"/> that has not expired and reads back intact.</summary>
    public bool TryCached(byte[] key, TaskDescriptor task, string name, out object? value)
    {
        value = null;
        StoredValue? entry;
        try
        {
            entry = Store.FindCached(key, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        catch (FlowStoreException ex)
        {
            StoreLog.CacheNotRead(_logger, FlowName, name, ex);
            return false;
        }

        if (entry is null)
        {
            return false;
        }

        if (!TryDecode(entry, key, task.Codec!, out value, out var problem))
        {
            StoreLog.CachedNotUsed(_logger, FlowName, name, problem!);
            try
            {
                Store.ForgetCached(key);
            }
            catch (FlowStoreException)
            {
                // Overwritten by the result about to be computed anyway.
            }

            return false;
        }

        Store.Writer.Enqueue(new CacheUseWrite { Key = key, Used = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Run = this });
        return true;
    }

    /// <summary>
    /// Keeps a task run's result: as its checkpoint (unless the task opted out) and under
    /// <paramref name="cacheKey"/> when the task is cached. Serialized on the calling thread; written
    /// by the store's writer in a batch.
    /// </summary>
    public void Keep(string node, int element, TaskDescriptor task, object? value, byte[]? cacheKey)
    {
        if (task.Codec is not { } codec || WriteError is not null || (!task.Checkpoint && cacheKey is null))
        {
            return;
        }

        var identities = new List<byte[]>(2);
        if (task.Checkpoint)
        {
            identities.Add(StoredValue.CheckpointIdentity(RunId, node, element, task.Id, task.CodeHash));
        }

        if (cacheKey is not null)
        {
            // The cache entry gets a value (and file) of its own: deleting a run must not delete a
            // cached value, nor an expired entry a checkpoint.
            identities.Add(cacheKey);
        }

        StoredValue[] stored;
        using (var writer = new ValueWriter(Store.Blobs, [.. identities]))
        {
            try
            {
                codec.WriteResult(value, writer);
                stored = writer.Complete();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteFailed(Store.Describe(ex));
                return;
            }
            catch (Exception ex)
            {
                // The value cannot be written (a serializer's limit): the run goes on, this result is not kept.
                WriteFailed(new FlowStoreException(Store.Path, $"Flow '{FlowName}': the result of task '{node}' cannot be serialized for run '{RunId}'s store ({ex.Message.TrimEnd('.')}); mark the task [Task(Checkpoint = false)] to keep it out of the store.", ex));
                return;
            }
        }

        if (task.Checkpoint)
        {
            Store.Writer.Enqueue(new CheckpointWrite { Run = this, RunId = RunId, Node = node, Element = element, TaskId = task.Id, CodeHash = task.CodeHash, Value = stored[0] });
        }

        if (cacheKey is not null)
        {
            var now = DateTimeOffset.UtcNow;
            Store.Writer.Enqueue(new CacheWrite
            {
                Run = this,
                Key = cacheKey,
                CacheKey = task.CacheKey,
                Created = now.ToUnixTimeMilliseconds(),
                Expires = now.Add(task.CacheFor).ToUnixTimeMilliseconds(),
                Value = stored[^1],
            });
        }
    }

    /// <summary>Told by the writer when a batch with this run's writes failed: the first failure is kept and logged.</summary>
    public void WriteFailed(FlowStoreException error)
    {
        if (Interlocked.CompareExchange(ref _writeError, error, null) is null)
        {
            StoreLog.WriteFailed(_logger, FlowName, RunId, error);
        }
    }

    /// <summary>Marks the run's end in the store once everything it wrote is committed.</summary>
    public async Task EndAsync(FlowState state)
    {
        Store.Writer.Enqueue(new RunEndWrite { Run = this, RunId = RunId, State = state, Updated = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        await Store.Writer.FlushAsync().ConfigureAwait(false);
    }

    private bool TryDecode(StoredValue stored, ReadOnlySpan<byte> identity, ITaskCodec codec, out object? value, out string? problem)
    {
        value = null;
        var bytes = stored.TryRead(Store.Blobs, identity, out problem);
        if (bytes is null)
        {
            return false;
        }

        try
        {
            value = codec.ReadResult(bytes);
            return true;
        }
        catch (FlowSerializationException ex)
        {
            problem = $"its bytes do not read as the task's result type ({ex.Message.TrimEnd('.')}); it was likely written by another version of the type's serializer";
            return false;
        }
    }
}
