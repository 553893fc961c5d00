using System.Diagnostics;

namespace Flows.Workers;

/// <summary>
/// One worker host process a flow process started (a process worker, or a local cluster's worker):
/// the one place where a worker is started from its <see cref="WorkerHostLaunch"/>, its output lines
/// are read (a task's, marked by <see cref="TaskOutput"/>, are passed on through <see cref="WorkerOutput"/>),
/// its error output is tailed for crash reports, its exit is observed and described, and it is killed.
/// </summary>
internal sealed class LaunchedWorker : IDisposable
{
    private readonly Process _process;
    private readonly ErrorOutputTail _stderrTail = new();
    private readonly Func<string, bool>? _ownLine;
    private readonly bool _forwardEverything;

    /// <param name="start">The host's start info (<see cref="WorkerHostLaunch.CreateStartInfo"/>) with the worker's arguments.</param>
    /// <param name="name">How forwarded output names the worker (its process id is added after it when <paramref name="withProcessId"/>).</param>
    /// <param name="forwardEverything">
    /// Whether every output line is passed on (a process worker writes nothing of its own), or only
    /// the lines tasks wrote (a cluster worker's silo has output of its own, which stays with it).
    /// </param>
    /// <param name="ownLine">Sees each standard-output line first; true when it was the host's own (not passed on).</param>
    /// <param name="firstLine">Written to the worker's standard input before anything else (its cluster's secret or certificate).</param>
    /// <param name="keepInput">Whether its standard input is a pipe from this process (always when <paramref name="firstLine"/> is given).</param>
    /// <param name="withProcessId">Whether <see cref="Name"/> ends with the process id.</param>
    public LaunchedWorker(ProcessStartInfo start, string name, bool forwardEverything, Func<string, bool>? ownLine = null, string? firstLine = null, bool keepInput = false, bool withProcessId = false)
    {
        _forwardEverything = forwardEverything;
        _ownLine = ownLine;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = keepInput || firstLine is not null;
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data, isError: false);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data, isError: true);
        _process.Start();
        ProcessId = _process.Id;
        Name = withProcessId ? $"{name} {ProcessId}" : name;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (firstLine is not null)
        {
            Tell(firstLine);
        }
    }

    public string Name { get; }

    public int ProcessId { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => _process.WaitForExitAsync();

    /// <summary>Its exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines it wrote to its error output.</summary>
    public ErrorOutputTail ErrorOutput => _stderrTail;

    /// <summary>Writes a line to its standard input; false if it is gone.</summary>
    public bool Tell(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // It died meanwhile: whoever watches its exit reports that.
            return false;
        }
    }

    /// <summary>
    /// Why it ended (its exit code or signal, and its last error output), waiting up to
    /// <paramref name="patience"/> for the exit; describes one that still runs as having stopped answering.
    /// </summary>
    public string DescribeExit(TimeSpan patience)
    {
        var exited = _process.WaitForExit(patience);
        if (exited)
        {
            // A timed wait does not wait for the redirected output to be read to its end; this one does.
            _process.WaitForExit();
        }

        return _stderrTail.DescribeExit(exited ? _process.ExitCode : null);
    }

    /// <summary>
    /// Kills it. A whole tree when its tasks may start processes of their own; a plain kill otherwise,
    /// since a tree kill scans every process on the machine (tens of milliseconds on a busy host).
    /// </summary>
    public void Kill(bool entireProcessTree = false)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting as we spoke.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void OnOutput(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        if (isError)
        {
            _stderrTail.Append(line);
        }
        else if (_ownLine?.Invoke(line) == true)
        {
            return;
        }

        if (_forwardEverything || TaskOutput.IsMarked(line))
        {
            WorkerOutput.Forward(Name, line, isError);
        }
    }
}
