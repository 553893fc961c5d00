namespace Flows.Processes;

/// <summary>How a worker process ends, as its exit code says (read in a crash report or by tests).</summary>
internal static class WorkerExitCode
{
    /// <summary>The flow process closed the task connection between tasks: the ordinary end.</summary>
    public const int Closed = 0;

    /// <summary>Started by hand, without <c>--socket PATH</c>.</summary>
    public const int Usage = 2;

    /// <summary>Could not connect to the flow process's socket.</summary>
    public const int CannotConnect = 3;

    /// <summary>The task connection failed or carried a malformed frame.</summary>
    public const int TaskConnectionFailed = 4;

    /// <summary>
    /// The control connection closed or failed: the flow process exited or was killed. The worker
    /// exits at once, ending the task it runs and dropping those queued on it.
    /// </summary>
    public const int FlowProcessGone = 5;

    /// <summary>The control connection carried a malformed frame: cancellations can no longer be trusted.</summary>
    public const int ControlProtocolError = 6;
}
