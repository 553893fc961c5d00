namespace Flows.Workers;

/// <summary>
/// The flow process's side of what its worker processes write: each line goes to this process's
/// own standard output or error, after the name of the worker that wrote it, so that a task's
/// console output is seen where the flow runs, on every executor that starts workers.
/// </summary>
internal static class WorkerOutput
{
    /// <summary>Sees every forwarded line (tests).</summary>
    internal static event Action<WorkerOutputLine>? Forwarded;

    public static void Forward(string worker, string line, bool isError)
    {
        var text = $"[{worker}] {line}";
        (isError ? Console.Error : Console.Out).WriteLine(text);
        Forwarded?.Invoke(new WorkerOutputLine(worker, line, isError));
    }
}

/// <summary>One line a worker process wrote, as <see cref="WorkerOutput"/> forwarded it.</summary>
internal readonly record struct WorkerOutputLine(string Worker, string Line, bool IsError);
