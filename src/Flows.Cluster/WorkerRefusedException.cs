namespace Flows;

/// <summary>
/// A worker cannot run a task at all: it holds another build of the task's assembly, or none, or
/// the task has no generated serializer. The message says what to do. Not a failure of the task's code.
/// </summary>
public sealed class WorkerRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerRefusedException(string message)
        : base(message)
    {
    }
}
