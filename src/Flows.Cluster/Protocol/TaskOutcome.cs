using Flows.Workers;

namespace Flows.Cluster.Protocol;

/// <summary>What became of one <see cref="RunRequest"/>.</summary>
[GenerateSerializer, Immutable]
internal sealed class TaskOutcome
{
    [Id(0)] public long RequestId { get; init; }

    [Id(1)] public OutcomeKind Kind { get; init; }

    /// <summary>The result's estimated size in bytes (what placement weighs).</summary>
    [Id(2)] public long ResultSize { get; init; }

    /// <summary>The result's bytes, when the request asked for them.</summary>
    [Id(3)] public byte[]? Result { get; init; }

    /// <summary>For a failure: the exception's type name, message and stack (never the object).</summary>
    [Id(4)] public string? ErrorType { get; init; }

    [Id(5)] public string? ErrorMessage { get; init; }

    [Id(6)] public string? ErrorDetails { get; init; }

    /// <summary>Bytes this worker fetched from other workers for the request's inputs.</summary>
    [Id(7)] public long BytesFetched { get; init; }

    /// <summary>How long the task's code ran, in microseconds (placement estimates from it).</summary>
    [Id(8)] public double RunMicroseconds { get; init; }

    /// <summary>
    /// For a failure: the full names of the exception's type (<see cref="ErrorType"/>) and its base
    /// types, most derived first, up to <c>System.Exception</c> (what <c>RetryOn</c> matches by name).
    /// </summary>
    [Id(9)] public string[]? ErrorTypeChain { get; init; }

    /// <summary>For a success of a request that named a store: what the worker did with it.</summary>
    [Id(10)] public StoreUse Store { get; init; }

    /// <summary>For <see cref="StoreUse.Failed"/>: what went wrong, naming the store and the worker.</summary>
    [Id(11)] public string? StoreError { get; init; }

    /// <summary>
    /// The records the task wrote to its logger (and its captured console lines), one after another
    /// (<c>LogRecordCodec</c>), for the flow process to write before it reports the outcome. Set by the
    /// worker once, before the outcome is handed to the client's outbox.
    /// </summary>
    [Id(12)] public byte[]? Logs { get; set; }

    /// <summary>For <see cref="OutcomeKind.MemoryExceeded"/>: the worker's memory limit and what its process reached, in bytes.</summary>
    [Id(13)] public long MemoryLimit { get; init; }

    [Id(14)] public long MemoryReached { get; init; }

    /// <summary>For <see cref="OutcomeKind.MemoryExceeded"/>: the fraction of the limit that restarts the worker.</summary>
    [Id(15)] public double MemoryFraction { get; init; }

    /// <summary>A failure, from the record every worker makes of one (<see cref="FailureRecord.Of"/>).</summary>
    public static TaskOutcome Failure(long requestId, FailureRecord failure, long bytesFetched, double runMicroseconds) => new()
    {
        RequestId = requestId,
        Kind = failure.Kind switch
        {
            FailureKind.Cancelled => OutcomeKind.Cancelled,
            FailureKind.Refused => OutcomeKind.Refused,
            _ => OutcomeKind.Failed,
        },
        ErrorType = failure.Type,
        ErrorTypeChain = [.. failure.TypeChain],
        ErrorMessage = failure.Message,
        ErrorDetails = failure.Details,
        BytesFetched = bytesFetched,
        RunMicroseconds = runMicroseconds,
    };

    /// <summary>The failure this outcome reports (for <see cref="OutcomeKind.Failed"/>, <see cref="OutcomeKind.Cancelled"/> and <see cref="OutcomeKind.Refused"/>).</summary>
    public FailureRecord ToFailure() => new(
        Kind switch
        {
            OutcomeKind.Cancelled => FailureKind.Cancelled,
            OutcomeKind.Refused => FailureKind.Refused,
            _ => FailureKind.Failed,
        },
        TypeChain(),
        ErrorMessage ?? "no reason given",
        ErrorDetails ?? string.Empty);

    /// <summary>The chain sent, when it is well formed (starts with the type, no empty name); else the type alone.</summary>
    private string[] TypeChain() =>
        ErrorTypeChain is { Length: > 0 } chain && chain[0] == ErrorType && Array.TrueForAll(chain, static n => !string.IsNullOrEmpty(n))
            ? chain
            : [ErrorType ?? "?"];
}

/// <summary>How a request ended on its worker.</summary>
[GenerateSerializer]
internal enum OutcomeKind
{
    /// <summary>The task returned.</summary>
    Succeeded,

    /// <summary>The task threw.</summary>
    Failed,

    /// <summary>
    /// An input could not be fetched: its owner died or no longer has it. The task never ran; the
    /// client recomputes the input and sends the request again.
    /// </summary>
    InputLost,

    /// <summary>The worker cannot run the task at all (unknown task, wrong build): not worth retrying.</summary>
    Refused,

    /// <summary>
    /// Not an end: the task's code started on the worker (sent along with the next outcomes or
    /// poll answer). Only a request that started is charged a worker death when its worker dies.
    /// </summary>
    Started,

    /// <summary>The task was cancelled (its run or its timeout), before or while it ran.</summary>
    Cancelled,

    /// <summary>
    /// The worker's memory passed its terminate fraction (or the runtime could not allocate within its
    /// limit) while the task ran: the worker restarts, and the attempt is Crashed with that cause.
    /// </summary>
    MemoryExceeded,
}
