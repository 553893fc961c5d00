namespace Flows.Cluster.Protocol;

/// <summary>One task to run on a worker: the task's id, its inputs, and what to do with its result.</summary>
/// <remarks>Only task ids and generated-serializer bytes travel: never code, never type names to instantiate.</remarks>
[GenerateSerializer, Immutable]
internal sealed class RunRequest
{
    /// <summary>Unique within the client: the outcome names it.</summary>
    [Id(0)] public long Id { get; init; }

    /// <summary>The task's id (<c>Namespace.Type.Method</c>), looked up in the worker's registries.</summary>
    [Id(1)] public string TaskId { get; init; } = string.Empty;

    /// <summary>One entry per task input, in order.</summary>
    [Id(3)] public TaskInput[] Inputs { get; init; } = [];

    /// <summary>Send the result's bytes back (the flow process reads it) instead of keeping it on the worker.</summary>
    [Id(4)] public bool ReturnResult { get; init; }

    /// <summary>The id the result is kept under on the worker (when it is kept).</summary>
    [Id(5)] public long ResultId { get; init; }

    /// <summary>The run's store, when the worker keeps the result there itself; null otherwise.</summary>
    [Id(6)] public StoreRequest? Store { get; init; }

    /// <summary>The levels the task's log category has enabled in the flow process, and whether console output is captured (<c>LogLevelMask</c>); 0: send no records.</summary>
    [Id(7)] public byte LogMask { get; init; }
}

/// <summary>One input of a <see cref="RunRequest"/>: bytes from the client, or a result kept on some worker.</summary>
[GenerateSerializer, Immutable]
internal sealed class TaskInput
{
    /// <summary>The value, written by the consuming task's codec for this position; null for a reference.</summary>
    [Id(0)] public byte[]? Inline { get; init; }

    /// <summary>The result's id on its owner.</summary>
    [Id(1)] public long ResultId { get; init; }

    /// <summary>
    /// The worker that holds the result (its key); null when it is the worker the request goes to.
    /// Most inputs are local (placement sees to it), and then no strings travel for them.
    /// </summary>
    [Id(2)] public string? Owner { get; init; }

    /// <summary>The task that produced a result held elsewhere: its codec reads the fetched bytes.</summary>
    [Id(3)] public string? ProducerTaskId { get; init; }

    /// <summary>The result's estimated size: large inputs are fetched in calls of their own, side by side.</summary>
    [Id(4)] public long Size { get; init; }
}
