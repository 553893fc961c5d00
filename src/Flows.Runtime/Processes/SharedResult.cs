using Flows.Graph;

namespace Flows.Processes;

/// <summary>
/// A large result a worker process wrote to shared memory, kept there instead of being decoded in
/// the flow process, because only tasks read it (no branch, map, merge, subflow or flow output does:
/// <see cref="ResultUse"/>). It stands in the result's slot; every worker that runs a reader maps the
/// file and decodes it with the producer's codec. Its run deletes the file when it ends
/// (<see cref="ProcessRunDispatcher"/>).
/// </summary>
internal sealed class SharedResult
{
    private int _deleted;

    public SharedResult(string path, int producerWorker, long producerRequest, long length, TaskDescriptor producer)
    {
        Path = path;
        ProducerWorker = producerWorker;
        ProducerRequest = producerRequest;
        Length = length;
        Producer = producer;
    }

    /// <summary>The file that holds the encoded value.</summary>
    public string Path { get; }

    /// <summary>The worker (pool id) and request that wrote it: the file's name (<see cref="SharedResultFiles.NameOf"/>).</summary>
    public int ProducerWorker { get; }

    public long ProducerRequest { get; }

    /// <summary>The encoded value's length in bytes.</summary>
    public long Length { get; }

    /// <summary>The task whose codec wrote the bytes, and reads them.</summary>
    public TaskDescriptor Producer { get; }

    /// <summary>Deletes the file (once).</summary>
    public void Delete()
    {
        if (Interlocked.Exchange(ref _deleted, 1) == 0)
        {
            Workers.SharedMemory.TryDelete(Path);
        }
    }

    public override string ToString() => $"the result of task '{Producer.Name}' ({Length} bytes in shared memory)";
}

/// <summary>How a pool's workers name the shared-memory files of their results: one per request, so the flow process knows every name without being told one.</summary>
internal static class SharedResultFiles
{
    public static string NameOf(int worker, long request) => $"w{worker}-r{request}";

    public static string PathOf(string directory, int worker, long request) => System.IO.Path.Combine(directory, NameOf(worker, request));
}
