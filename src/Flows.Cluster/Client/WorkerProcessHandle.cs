using System.Diagnostics;
using Flows.Cluster.Hosting;

namespace Flows.Cluster.Client;

/// <summary>One worker process of a local cluster: started, watched, and killed with the cluster.</summary>
internal sealed class WorkerProcessHandle : IDisposable
{
    private const int TailLines = 20;
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderrTail = new();

    public WorkerProcessHandle(ProcessStartInfo start)
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
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_stderrTail)
                {
                    _stderrTail.Enqueue(line);
                    if (_stderrTail.Count > TailLines)
                    {
                        _stderrTail.Dequeue();
                    }
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
    }

    public int ProcessId => _process.Id;

    /// <summary>The worker's key, once its silo serves tasks.</summary>
    public Task<string> Ready => _ready.Task;

    public Task Exited => _process.WaitForExitAsync();

    /// <summary>The worker has built its silo and waits to be told to join.</summary>
    public Task Built => _built.Task;

    /// <summary>Lets a worker started with --join-when-told join the cluster.</summary>
    public void TellToJoin()
    {
        try
        {
            _process.StandardInput.WriteLine("join");
            _process.StandardInput.Flush();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // It died meanwhile: its watcher reports that.
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Why the process ended, with its last lines of stderr.</summary>
    public string Describe()
    {
        string how;
        if (!_process.HasExited)
        {
            how = "it is still running";
        }
        else
        {
            var code = _process.ExitCode;
            how = code > 128 && code < 160
                ? $"its process ({_process.Id}) was killed by signal {code - 128}{(code - 128 == 9 ? " (SIGKILL: killed by hand or by the kernel's out-of-memory killer)" : string.Empty)}"
                : $"its process ({_process.Id}) exited with code {code}";
        }

        string tail;
        lock (_stderrTail)
        {
            tail = string.Join(Environment.NewLine, _stderrTail);
        }

        return tail.Length == 0 ? how : $"{how}; its last stderr lines:{Environment.NewLine}{tail}";
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
