namespace Flows.Workers;

/// <summary>What kind of failure a worker reports; timeouts and crashes are decided in the flow process.</summary>
internal enum FailureKind : byte
{
    /// <summary>The task's code threw.</summary>
    Failed = 1,

    /// <summary>The task's code was cancelled (its run or its timeout), or the run was cancelled before it started there.</summary>
    Cancelled = 2,

    /// <summary>The worker could not run the task at all (its assembly, build or serializer).</summary>
    Refused = 3,
}

/// <summary>
/// A task's failure as it crosses from a worker (process or cluster) to the flow process: its kind,
/// the original exception's type chain (its full name, then its base types' up to <c>System.Exception</c>),
/// message and <c>ToString()</c> (stack and inner chain). Exceptions never cross as objects, and the
/// flow process never loads the types named. Encoded once (<see cref="Of"/>) and decoded once
/// (<see cref="ToException"/>), so the same failure gives the same record on every executor.
/// </summary>
/// <param name="Kind">What kind of failure.</param>
/// <param name="TypeChain">The exception's type and base type names, most derived first; never empty.</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Details">The exception's <c>ToString()</c>.</param>
internal readonly record struct FailureRecord(FailureKind Kind, IReadOnlyList<string> TypeChain, string Message, string Details)
{
    /// <summary>The full name of the type the task's code threw.</summary>
    public string Type => TypeChain[0];

    public static FailureRecord Of(Exception error)
    {
        var kind = error switch
        {
            OperationCanceledException => FailureKind.Cancelled,
            WorkerRefusedException => FailureKind.Refused,
            _ => FailureKind.Failed,
        };
        return new FailureRecord(kind, ExceptionNames.TypeChain(error), error.Message, error.ToString());
    }

    /// <summary>
    /// What the attempt reports: a refusal in the wording every executor uses, naming the flow and
    /// task; a cancellation as a cancellation (so a timeout or a cancelled run is recorded as such);
    /// anything else as a <see cref="RemoteTaskException"/> carrying the original type's chain of names.
    /// </summary>
    /// <param name="flowName">The attempt's flow; null for work that belongs to no attempt (a cluster's recomputation).</param>
    /// <param name="taskName">The task as messages name it.</param>
    public Exception ToException(string? flowName, string taskName) => Kind switch
    {
        FailureKind.Refused => WorkerRefusedException.For(flowName, taskName, Message),
        FailureKind.Cancelled => new OperationCanceledException(Message),
        _ => new RemoteTaskException(Type, Message, Details, TypeChain),
    };
}
