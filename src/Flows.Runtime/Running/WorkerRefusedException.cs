namespace Flows;

/// <summary>
/// A worker (a worker process or a cluster worker) cannot run a task at all: it holds another build
/// of the task's assembly, or none, or the task has no generated serializer. The message names the
/// flow, the task and the reason, and says what to do. Not a failure of the task's code; the same
/// type on every executor that runs tasks in another process.
/// </summary>
public sealed class WorkerRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>The one wording of a refusal: <c>Flow 'F': task 'T' could not run in a worker: REASON.</c></summary>
    internal static WorkerRefusedException For(string? flowName, string taskName, string reason)
    {
        var subject = flowName is null ? $"Task '{taskName}'" : $"Flow '{flowName}': task '{taskName}'";
        return new WorkerRefusedException($"{subject} could not run in a worker: {reason.TrimEnd('.', ' ')}.");
    }
}
