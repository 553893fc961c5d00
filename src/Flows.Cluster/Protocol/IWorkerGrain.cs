using Orleans.Concurrency;

namespace Flows.Cluster.Protocol;

/// <summary>
/// The face of one worker silo. There is one activation per worker, placed on that worker by
/// <see cref="Placement.WorkerPlacement"/> (its key is the silo's address), and it is reentrant:
/// a poll that waits never holds up submissions or fetches.
/// </summary>
internal interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Describes the worker.</summary>
    Task<WorkerDescription> Describe();

    /// <summary>
    /// Makes sure the worker holds exactly these builds of the task assemblies. Returns null when it
    /// does, or an error that says what to do.
    /// </summary>
    Task<string?> Prepare(AssemblyBuild[] builds);

    /// <summary>Queues tasks; their outcomes come back through <see cref="Poll"/>.</summary>
    Task Submit(Guid client, RunRequest[] requests);

    /// <summary>
    /// Waits (at most <paramref name="longestWaitMs"/>, well within the caller's response timeout) for outcomes of the client's tasks and returns all that are ready.
    /// A task may run for hours: no call waits for it, so Orleans' response timeout never applies to it.
    /// <paramref name="received"/> is the <see cref="PollAnswer.Sequence"/> of the last answer the
    /// client received: an answer after it that the client never got is sent again.
    /// </summary>
    Task<PollAnswer> Poll(Guid client, int longestWaitMs, long received);

    /// <summary>Serialized results kept here, for another worker: each as its producer's codec writes it, or null for one that is gone.</summary>
    Task<byte[]?[]> Fetch(Guid client, long[] resultIds);

    /// <summary>
    /// Like <see cref="Fetch"/>, for a worker on <paramref name="host"/> (<c>SharedMemory.HostKey</c>): a large
    /// value is named by a shared-memory file when the caller shares this machine's memory, else sent as bytes.
    /// <paramref name="producerTaskIds"/> are the tasks that made each result (their codecs write the bytes).
    /// Null for a result that is gone.
    /// </summary>
    Task<FetchedValue?[]> FetchNear(Guid client, long[] resultIds, string[] producerTaskIds, string host);

    /// <summary>Frees results nobody needs any more.</summary>
    [OneWay]
    Task Release(Guid client, long[] resultIds);

    /// <summary>Cancels running or queued tasks (the run was cancelled or the attempt timed out).</summary>
    [OneWay]
    Task Cancel(Guid client, long[] requestIds);
}
