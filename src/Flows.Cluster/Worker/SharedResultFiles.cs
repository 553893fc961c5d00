using System.Collections.Concurrent;
using Flows.Cluster.Protocol;
using Flows.Graph;
using Flows.Serialization;
using Flows.Workers;

namespace Flows.Cluster.Worker;

/// <summary>
/// The results of this worker that other workers on the same machine fetch through shared memory
/// (<see cref="SharedMemory"/>): each is written to a file of this worker's folder once, at its first
/// fetch, and read in place by every fetcher. A file goes when its result is released or its client
/// is dropped; the folder when the worker ends (or, after a kill, when the next worker or process
/// pool on the machine starts).
/// </summary>
internal sealed class SharedResultFiles : IDisposable
{
    private readonly ConcurrentDictionary<(Guid Client, long Id), SharedFile> _files = new();

    public SharedResultFiles()
    {
        SharedMemory.RemoveStale();
        Directory = SharedMemory.CreateDirectory();
    }

    /// <summary>This worker's folder, or null: no shared memory here, every value travels as bytes.</summary>
    public string? Directory { get; }

    /// <summary>
    /// The value as a file, written now if it is not yet; null when it is too small to be worth a file, when
    /// there is no shared memory, or when the file cannot be written (the caller then sends bytes).
    /// </summary>
    public FetchedValue? Share(Guid client, long id, object? value, TaskDescriptor producer)
    {
        if (Directory is null || producer.Codec is null || SizeEstimate.Of(value) < SharedMemory.MinBytes)
        {
            return null;
        }

        var file = _files.GetOrAdd((client, id), static (key, directory) => new SharedFile(Path.Combine(directory, $"c{key.Client:N}-r{key.Id}")), Directory);
        lock (file)
        {
            if (file.Length < 0)
            {
                try
                {
                    using var buffer = new PooledBufferWriter(SizeEstimate.Of(value) + 256);
                    producer.Codec.WriteResult(value, buffer);
                    SharedMemory.Write(file.Path, buffer.WrittenSpan);
                    file.Length = buffer.WrittenCount;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    _files.TryRemove((client, id), out _);
                    return null;
                }
            }

            return new FetchedValue { Path = file.Path, Length = file.Length };
        }
    }

    public void Remove(Guid client, long id)
    {
        if (_files.TryRemove((client, id), out var file))
        {
            SharedMemory.TryDelete(file.Path);
        }
    }

    public void RemoveClient(Guid client)
    {
        foreach (var key in _files.Keys)
        {
            if (key.Client == client)
            {
                Remove(key.Client, key.Id);
            }
        }
    }

    public void Dispose()
    {
        _files.Clear();
        SharedMemory.DeleteDirectory(Directory);
    }

    private sealed class SharedFile(string path)
    {
        public readonly string Path = path;
        public long Length = -1;
    }
}
