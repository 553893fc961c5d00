using System.Buffers;
using Flows.Cluster.Memory;
using Flows.Graph;

namespace Flows.Cluster.Worker;

/// <summary>
/// The results kept on one worker, as live objects: a task that runs here reads them without a copy.
/// They are serialized only when another worker fetches them (once, then the bytes are kept too), or
/// when the worker's memory asks for it: <see cref="SpillOldest"/> writes the least recently used ones to
/// the worker's <see cref="SpillFolder"/> with their producer's codec and drops them from memory. A
/// spilled result is read back when a task here reads it (and held again), or sent as it lies on disk
/// when another worker fetches it. A spill that fails (a full disk) keeps the result in memory.
/// </summary>
internal sealed class ResultStore : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<(Guid Client, long Id), StoredResult> _results = new();

    /// <summary>The results held in memory, least recently used first.</summary>
    private readonly LinkedList<StoredResult> _inMemory = new();
    private readonly SpillFolder? _spill;
    private readonly ArrayBufferWriter<byte> _spillBuffer = new();
    private long _heldBytes;

    /// <param name="spill">Where results are spilled; null: never.</param>
    /// <param name="targetBytes">Held results past this many (estimated) bytes raise <see cref="OverTarget"/>; 0: never.</param>
    public ResultStore(SpillFolder? spill = null, long targetBytes = 0)
    {
        _spill = spill;
        TargetBytes = targetBytes;
    }

    public MemoryCounters Counters { get; } = new();

    public long TargetBytes { get; }

    /// <summary>Raised (on the thread that put it) when a new result takes the held bytes past <see cref="TargetBytes"/>.</summary>
    public event Action? OverTarget;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _results.Count;
            }
        }
    }

    /// <summary>Bytes of the results held in memory, as estimated (<see cref="SizeEstimate"/>) or as serialized once known.</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    public void Put(Guid client, long id, object? value, TaskDescriptor producer)
    {
        var stored = new StoredResult((client, id), value, producer, SizeEstimate.Of(value));
        StoredResult? replaced;
        lock (_gate)
        {
            _results.Remove(stored.Key, out replaced);
            if (replaced is not null)
            {
                Forget(replaced);
            }

            _results[stored.Key] = stored;
            stored.Node = _inMemory.AddLast(stored);
            _heldBytes += stored.Held;
        }

        DeleteFile(replaced);
        if (TargetBytes > 0 && HeldBytes > TargetBytes)
        {
            OverTarget?.Invoke();
        }
    }

    /// <summary>The result's value: held, or read back from its spill file (then held again). False when it is not here (or its file cannot be read).</summary>
    public bool TryGet(Guid client, long id, out object? value)
    {
        StoredResult? stored;
        string? file;
        lock (_gate)
        {
            if (!_results.TryGetValue((client, id), out stored))
            {
                value = null;
                return false;
            }

            // Held, or being spilled right now (still held until its file is written).
            if (stored.Node is not null || stored.File is null)
            {
                Touch(stored);
                value = stored.Value;
                return true;
            }

            file = stored.File;
        }

        byte[] bytes;
        try
        {
            bytes = SpillFolder.Read(file!);
            value = stored.Producer.Codec!.ReadResult(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Lost with its file: the client recomputes it (its request reports the input lost).
            value = null;
            return false;
        }

        Counters.ReadBack(bytes.Length);
        lock (_gate)
        {
            // Held again, most recently used; its file stays, so spilling it again writes nothing.
            if (stored.Node is null && _results.TryGetValue(stored.Key, out var current) && current == stored)
            {
                stored.Value = value;
                stored.Node = _inMemory.AddLast(stored);
                _heldBytes += stored.Held;
            }
        }

        return true;
    }

    /// <summary>The result's bytes as its producer's codec writes them (from its spill file when spilled, without decoding it), or null if it is not here.</summary>
    public byte[]? Serialize(Guid client, long id)
    {
        StoredResult? stored;
        string? file;
        lock (_gate)
        {
            if (!_results.TryGetValue((client, id), out stored))
            {
                return null;
            }

            if (stored.Node is not null || stored.File is null)
            {
                Touch(stored);
                if (stored.Bytes is { } known)
                {
                    return known;
                }

                file = null;
            }
            else
            {
                file = stored.File;
            }
        }

        if (file is not null)
        {
            try
            {
                var bytes = SpillFolder.Read(file);
                Counters.ReadBack(bytes.Length);
                return bytes;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        var written = Write(stored);
        lock (_gate)
        {
            // Kept for the next fetch while the value is held; counted, since it doubles what the result costs.
            if (stored.Node is not null && stored.Bytes is null)
            {
                _heldBytes -= stored.Held;
                stored.Bytes = written;
                _heldBytes += stored.Held;
            }
        }

        return written;
    }

    public void Remove(Guid client, long id)
    {
        StoredResult? removed;
        lock (_gate)
        {
            if (!_results.Remove((client, id), out removed))
            {
                return;
            }

            Forget(removed);
        }

        DeleteFile(removed);
    }

    /// <summary>Drops every result of a client that went away.</summary>
    public void RemoveClient(Guid client)
    {
        var removed = new List<StoredResult>();
        lock (_gate)
        {
            foreach (var (key, stored) in _results)
            {
                if (key.Client == client)
                {
                    removed.Add(stored);
                }
            }

            foreach (var stored in removed)
            {
                _results.Remove(stored.Key);
                Forget(stored);
            }
        }

        foreach (var stored in removed)
        {
            DeleteFile(stored);
        }
    }

    /// <summary>
    /// Spills held results, least recently used first, until at least <paramref name="bytes"/> (as
    /// serialized) left memory or none is left to spill. Returns the bytes that left memory. A write that
    /// fails (a full disk) stops it: the result stays held, the failure is counted with its message.
    /// </summary>
    public long SpillOldest(long bytes)
    {
        if (_spill is null)
        {
            return 0;
        }

        long freed = 0;
        while (freed < bytes)
        {
            StoredResult? victim;
            lock (_gate)
            {
                victim = _inMemory.First?.Value;
                if (victim is null)
                {
                    break;
                }

                // Out of the list while it is written: no second spill takes it, and a reader meanwhile still finds its value.
                _inMemory.Remove(victim.Node!);
                victim.Node = null;
                _heldBytes -= victim.Held;
                victim.Spilling = true;
            }

            string? file = victim.File;
            long written = 0;
            string? error = null;
            if (file is null)
            {
                try
                {
                    if (victim.Bytes is { } serialized)
                    {
                        file = _spill.Write(serialized);
                        written = serialized.Length;
                    }
                    else
                    {
                        // Written through one buffer kept for spills: a spill leaves no array of the result's size behind as garbage.
                        lock (_spillBuffer)
                        {
                            _spillBuffer.ResetWrittenCount();
                            victim.Producer.Codec!.WriteResult(victim.Value, _spillBuffer);
                            file = _spill.Write(_spillBuffer.WrittenSpan);
                            written = _spillBuffer.WrittenCount;
                        }
                    }
                }
                catch (Exception ex)
                {
                    error = $"could not spill the result of task '{victim.Producer.Name}' ({MemorySize.Format(victim.Size)}) to {_spill.Path}: {ex.GetType().Name}: {ex.Message}; it stays in memory";
                }
            }

            var keep = false;
            lock (_gate)
            {
                victim.Spilling = false;
                var current = _results.TryGetValue(victim.Key, out var now) && now == victim;
                if (error is not null)
                {
                    if (current)
                    {
                        // Kept in memory, now the most recently used: the next spill tries others first.
                        victim.Node = _inMemory.AddLast(victim);
                        _heldBytes += victim.Held;
                    }
                }
                else if (current)
                {
                    freed += Math.Max(victim.Held, 1);
                    victim.File = file;
                    victim.Value = null;
                    victim.Bytes = null;
                }
                else
                {
                    // Released while it was written.
                    keep = true;
                }
            }

            if (keep && file is not null)
            {
                SpillFolder.Delete(file);
            }

            if (error is not null)
            {
                Counters.SpillFailed(error);
                break;
            }

            if (written > 0)
            {
                Counters.Spilled(written);
            }
        }

        return freed;
    }

    /// <summary>The results spilled to disk now (for tests and the news).</summary>
    public int SpilledCount
    {
        get
        {
            lock (_gate)
            {
                return _results.Values.Count(r => r.Node is null && r.File is not null);
            }
        }
    }

    private static byte[] Write(StoredResult stored)
    {
        // Sized from the estimate up front: an 8 MiB array is written once, not regrown and copied.
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(stored.Size + 256, Array.MaxLength));
        stored.Producer.Codec!.WriteResult(stored.Value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Most recently used now.</summary>
    private void Touch(StoredResult stored)
    {
        if (stored.Node is { } node && node != _inMemory.Last)
        {
            _inMemory.Remove(node);
            _inMemory.AddLast(node);
        }
    }

    /// <summary>Takes a result that left the store out of the memory count (under the gate).</summary>
    private void Forget(StoredResult stored)
    {
        if (stored.Node is { } node)
        {
            _inMemory.Remove(node);
            stored.Node = null;
            _heldBytes -= stored.Held;
        }
    }

    private static void DeleteFile(StoredResult? stored)
    {
        // A file being written now is deleted by its spill, which sees the result gone.
        if (stored is { File: { } file, Spilling: false })
        {
            SpillFolder.Delete(file);
        }
    }

    public void Dispose() => _spill?.Dispose();

    private sealed class StoredResult((Guid Client, long Id) key, object? value, TaskDescriptor producer, long size)
    {
        public readonly (Guid Client, long Id) Key = key;
        public readonly TaskDescriptor Producer = producer;

        /// <summary>The estimated size of the value.</summary>
        public readonly long Size = size;
        public object? Value = value;

        /// <summary>The serialized bytes, once a fetch made them (while the value is held).</summary>
        public byte[]? Bytes;

        /// <summary>Its place in the memory list; null while it is not held in memory.</summary>
        public LinkedListNode<StoredResult>? Node;

        /// <summary>Its spill file, once written (kept after a read back: a second spill writes nothing).</summary>
        public string? File;
        public bool Spilling;

        /// <summary>What it costs in memory while held.</summary>
        public long Held => Math.Max(Size, Bytes?.Length ?? 0) + (Bytes?.Length ?? 0);
    }
}
