using System.ComponentModel;
using System.Diagnostics;
using CliWrap;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>
/// Runs one command for <see cref="Shell.Run(string, ShellOptions, System.Threading.CancellationToken)"/>: starts it
/// through CliWrap, reads both output streams as they come (<see cref="OutputLines"/>), awaits its exit without holding
/// a thread, kills its whole process tree on cancellation or timeout, and turns what happened into a
/// <see cref="ShellResult"/> or a <see cref="ShellCommandException"/>.
/// </summary>
internal static class ShellProcess
{
    /// <summary>Exit codes of POSIX shells for a command that was not found, or found but could not be run.</summary>
    private const int NotFound = 127, NotExecutable = 126;

    public static async Task<ShellResult> RunAsync(string command, ShellOptions options, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TimeoutMs);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxOutputChars);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxLoggedLines);
        cancellationToken.ThrowIfCancellationRequested();
        if (options.WorkingDirectory is { } directory && !Directory.Exists(directory))
        {
            // Checked first: a missing directory would otherwise look like a shell that cannot start.
            throw new ShellCommandException(
                $"Shell command '{command}' failed: its working directory '{directory}' does not exist here (ShellOptions.WorkingDirectory); create it first, or give a directory that exists where the task runs (on a worker, that machine).",
                command, exitCode: null, error: string.Empty, timedOut: false);
        }

        var output = new OutputLines(log, isError: false, options);
        var error = new OutputLines(log, isError: true, options);
        var cli = Describe(command, options)
            .WithStandardInputPipe(options.StandardInput is null ? PipeSource.Null : PipeSource.FromString(options.StandardInput))
            .WithStandardOutputPipe(PipeTarget.Create(output.ReadAsync))
            .WithStandardErrorPipe(PipeTarget.Create(error.ReadAsync))
            .WithValidation(CommandResultValidation.None);

        using var timeout = options.TimeoutMs > 0 ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        timeout?.CancelAfter(options.TimeoutMs);
        var stop = timeout?.Token ?? cancellationToken;
        var started = Stopwatch.GetTimestamp();
        CommandResult result;
        try
        {
            // CliWrap's forceful cancellation kills the process with its whole tree (Process.Kill(entireProcessTree: true)):
            // the children a shell started die with it, even a shell that ignores SIGTERM.
            result = await cli.ExecuteAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout is not null && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ShellCommandException(
                $"Shell command '{command}' ran past its timeout of {options.TimeoutMs} ms (ShellOptions.TimeoutMs) and was killed with its child processes.{LastLines(error.Tail.ToString())}",
                command, exitCode: null, error.Tail.ToString(), timedOut: true);
        }
        catch (Exception ex) when (ex is Win32Exception || ex.InnerException is Win32Exception)
        {
            var program = options.Shell ?? command;
            var why = options.Shell is null
                ? $"program '{program}' could not be started ({(ex.InnerException ?? ex).Message}): check its name, that it is on PATH and executable, or run it through a shell (ShellOptions.Shell)"
                : $"its shell '{program}' could not be started ({(ex.InnerException ?? ex).Message}): check ShellOptions.Shell";
            throw new ShellCommandException($"Shell command '{command}' failed: {why}.", command, exitCode: null, error: string.Empty, timedOut: false, ex);
        }

        var duration = Stopwatch.GetElapsedTime(started);
        var stderr = error.Tail.ToString();
        if (!options.Allows(result.ExitCode))
        {
            throw new ShellCommandException(FailureMessage(command, options, result.ExitCode, stderr), command, result.ExitCode, stderr, timedOut: false);
        }

        return new ShellResult(command, result.ExitCode, output.Tail.ToString(), stderr, duration, output.Tail.Truncated, error.Tail.Truncated);
    }

    /// <summary>The program and arguments: <c>Shell -c command</c>, or the command itself with <see cref="ShellOptions.Arguments"/>.</summary>
    private static Command Describe(string command, ShellOptions options)
    {
        var cli = options.Shell is null
            ? Cli.Wrap(command).WithArguments(options.Arguments.IsDefault ? [] : options.Arguments)
            : Cli.Wrap(options.Shell).WithArguments(IsCmd(options.Shell) ? ["/C", command] : ["-c", command]);
        if (options.WorkingDirectory is not null)
        {
            cli = cli.WithWorkingDirectory(options.WorkingDirectory);
        }

        return options.Environment.IsEmpty ? cli : cli.WithEnvironmentVariables(options.Environment);
    }

    private static bool IsCmd(string shell) =>
        Path.GetFileName(shell).Equals("cmd.exe", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(shell).Equals("cmd", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// What a user reads when the exit code is not allowed: the command, the code (what a shell's 126 and 127 mean)
    /// and the last lines of standard error.
    /// </summary>
    internal static string FailureMessage(string command, ShellOptions options, int exitCode, string stderr)
    {
        var allowed = options.AllowedExitCodes.IsDefaultOrEmpty ? "0" : string.Join(", ", options.AllowedExitCodes);
        var what = (options.Shell, exitCode) switch
        {
            (not null, NotFound) => $"was not found: its shell '{options.Shell}' exited with code {NotFound}; check the command's name and PATH",
            (not null, NotExecutable) => $"could not be run: its shell '{options.Shell}' exited with code {NotExecutable} (found but not executable); check its permissions",
            _ => $"exited with code {exitCode} (allowed: {allowed}; ShellOptions.AllowedExitCodes lists the codes that count as success)",
        };
        return $"Shell command '{command}' {what}.{LastLines(stderr)}";
    }

    /// <summary>The last lines of standard error, as a sentence to append; empty when it was empty.</summary>
    internal static string LastLines(string stderr, int count = 10)
    {
        var lines = stderr.TrimEnd('\r', '\n').Split('\n');
        if (lines is [""])
        {
            return " Its standard error was empty.";
        }

        var last = lines.Skip(Math.Max(0, lines.Length - count)).Select(l => "  " + l.TrimEnd('\r'));
        return $" Last lines of its standard error:{Environment.NewLine}{string.Join(Environment.NewLine, last)}";
    }
}
