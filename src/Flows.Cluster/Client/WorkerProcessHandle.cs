using System.Diagnostics;
using Flows.Cluster.Hosting;
using Flows.Workers;

namespace Flows.Cluster.Client;

/// <summary>One worker process of a local cluster: started, watched, and killed with the cluster.</summary>
internal sealed class WorkerProcessHandle : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ErrorOutputTail _stderrTail = new();

    /// <summary>Starts the worker; <paramref name="firstLine"/>, when given, is written to its stdin before anything else (its cluster's secret or certificate).</summary>
    public WorkerProcessHandle(ProcessStartInfo start, string? firstLine = null)
    {
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(WorkerCommand.ReadyLine, StringComparison.Ordinal))
            {
                _ready.TrySetResult(line[WorkerCommand.ReadyLine.Length..].Trim());
            }
            else if (e.Data == WorkerCommand.BuiltLine)
            {
                _built.TrySetResult();
            }
            else if (e.Data is { } output && TaskOutput.IsMarked(output))
            {
                // A task's console output; the silo's own stays in the worker.
                WorkerOutput.Forward(Name, output, isError: false);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _stderrTail.Append(line);
                if (TaskOutput.IsMarked(line))
                {
                    WorkerOutput.Forward(Name, line, isError: true);
                }
            }
        };
        _process.Exited += (_, _) =>
        {
            _built.TrySetException(new InvalidOperationException($"The worker process exited before it was ready: {Describe()}"));
            _ready.TrySetException(new InvalidOperationException($"The worker process exited before it was ready: {Describe()}"));
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (firstLine is not null)
        {
            Tell(firstLine);
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>How forwarded output names this worker.</summary>
    private string Name => $"flows cluster worker {_process.Id}";

    /// <summary>The worker's key, once its silo serves tasks.</summary>
    public Task<string> Ready => _ready.Task;

    public Task Exited => _process.WaitForExitAsync();

    /// <summary>The worker has built its silo and waits to be told to join.</summary>
    public Task Built => _built.Task;

    /// <summary>Lets a worker started with --join-when-told join the cluster.</summary>
    public void TellToJoin() => Tell("join");

    private void Tell(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // It died meanwhile: its watcher reports that.
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Why the process ended (exit code or signal), with its last error output.</summary>
    public string Describe()
    {
        if (!_process.HasExited)
        {
            return $"its process ({_process.Id}) is still running";
        }

        // A timed-out wait does not drain the redirected output; this one does.
        _process.WaitForExit();
        return $"its process ({_process.Id}): {_stderrTail.DescribeExit(_process.ExitCode)}";
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
