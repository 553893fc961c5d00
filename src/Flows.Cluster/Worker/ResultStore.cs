using System.Buffers;
using System.Collections.Concurrent;
using Flows.Graph;

namespace Flows.Cluster.Worker;

/// <summary>
/// The results kept on one worker, as live objects: a task that runs here reads them without a copy.
/// They are serialized only when another worker fetches them (once, then the bytes are kept too).
/// </summary>
internal sealed class ResultStore
{
    private readonly ConcurrentDictionary<(Guid Client, long Id), StoredResult> _results = new();

    public int Count => _results.Count;

    public void Put(Guid client, long id, object? value, TaskDescriptor producer) =>
        _results[(client, id)] = new StoredResult(value, producer);

    public bool TryGet(Guid client, long id, out object? value)
    {
        if (_results.TryGetValue((client, id), out var stored))
        {
            value = stored.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>The result's bytes as its producer's codec writes them, or null if it is not here.</summary>
    public byte[]? Serialize(Guid client, long id)
    {
        if (!_results.TryGetValue((client, id), out var stored))
        {
            return null;
        }

        lock (stored)
        {
            if (stored.Bytes is null)
            {
                // Sized from the estimate up front: an 8 MiB array is written once, not regrown and copied.
                var buffer = new ArrayBufferWriter<byte>((int)Math.Min(SizeEstimate.Of(stored.Value) + 256, Array.MaxLength));
                stored.Producer.Codec!.WriteResult(stored.Value, buffer);
                stored.Bytes = buffer.WrittenSpan.ToArray();
            }

            return stored.Bytes;
        }
    }

    public void Remove(Guid client, long id) => _results.TryRemove((client, id), out _);

    /// <summary>Drops every result of a client that went away.</summary>
    public void RemoveClient(Guid client)
    {
        foreach (var key in _results.Keys)
        {
            if (key.Client == client)
            {
                _results.TryRemove(key, out _);
            }
        }
    }

    private sealed class StoredResult(object? value, TaskDescriptor producer)
    {
        public readonly object? Value = value;
        public readonly TaskDescriptor Producer = producer;
        public byte[]? Bytes;
    }
}
