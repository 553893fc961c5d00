using System.Diagnostics;
using Flows.Cluster.Hosting;
using Flows.Workers;

namespace Flows.Cluster.Client;

/// <summary>
/// One worker process of a local cluster: started through the shared <see cref="LaunchedWorker"/>,
/// watched for its "built" and "ready" lines, told when to join, and killed with the cluster.
/// </summary>
internal sealed class WorkerProcessHandle : IDisposable
{
    private readonly LaunchedWorker _host;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _membershipRead = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts the worker; <paramref name="firstLine"/>, when given, is written to its stdin before anything else (its cluster's secret or certificate).</summary>
    public WorkerProcessHandle(ProcessStartInfo start, string? firstLine = null)
    {
        // Only a task's lines are passed on: the silo's own output stays with the worker. Stdin stays
        // open: the worker exits when it closes (the flow process died), and reads "join" from it.
        _host = new LaunchedWorker(start, "flows cluster worker", forwardEverything: false, ownLine: OwnLine, firstLine: firstLine, keepInput: true, withProcessId: true);
        _host.Exited.ContinueWith(
            static (_, s) =>
            {
                var handle = (WorkerProcessHandle)s!;
                handle._built.TrySetException(new InvalidOperationException($"The worker process exited before it was ready: {handle.Describe()}"));
                handle._membershipRead.TrySetException(new InvalidOperationException($"The worker process exited before it was ready: {handle.Describe()}"));
                handle._ready.TrySetException(new InvalidOperationException($"The worker process exited before it was ready: {handle.Describe()}"));
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public int ProcessId => _host.ProcessId;

    /// <summary>The worker's key, once its silo serves tasks.</summary>
    public Task<string> Ready => _ready.Task;

    public Task Exited => _host.Exited;

    /// <summary>The worker has built its silo and waits to be told to join.</summary>
    public Task Built => _built.Task;

    /// <summary>The worker has joined, read the membership and waits for its turn to write itself into it.</summary>
    public Task MembershipRead => _membershipRead.Task;

    public bool HasExited => _host.HasExited;

    /// <summary>Lets a worker started with --join-when-told contact the cluster's membership.</summary>
    public void TellToJoin() => _host.Tell("join");

    /// <summary>Lets a worker that has read the membership write itself into it (as Joining, then Active).</summary>
    public void TellToEnter() => _host.Tell("enter");

    /// <summary>Why the process ended (exit code or signal), with its last error output.</summary>
    public string Describe() =>
        _host.HasExited
            ? $"its process ({_host.ProcessId}): {_host.DescribeExit(Timeout.InfiniteTimeSpan)}"
            : $"its process ({_host.ProcessId}) is still running";

    /// <summary>Kills the worker and whatever its tasks started.</summary>
    public void Kill() => _host.Kill(entireProcessTree: true);

    public void Dispose()
    {
        Kill();
        _host.Dispose();
    }

    private bool OwnLine(string line)
    {
        if (line.StartsWith(WorkerCommand.ReadyLine, StringComparison.Ordinal))
        {
            _ready.TrySetResult(line[WorkerCommand.ReadyLine.Length..].Trim());
            return true;
        }

        if (line == WorkerCommand.BuiltLine)
        {
            _built.TrySetResult();
            return true;
        }

        if (line == WorkerCommand.MembershipReadLine)
        {
            _membershipRead.TrySetResult();
            return true;
        }

        return false;
    }
}
