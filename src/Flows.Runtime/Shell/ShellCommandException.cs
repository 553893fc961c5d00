namespace Flows;

/// <summary>
/// A command run by <see cref="Shell.Run(string, System.Threading.CancellationToken)"/> failed: it exited with a code
/// that is not allowed, it could not be started, or it ran past <see cref="ShellOptions.TimeoutMs"/>. The message names
/// the command, the exit code and the last lines of its standard error.
/// </summary>
public sealed class ShellCommandException : Exception
{
    /// <summary>Describes a failed command.</summary>
    public ShellCommandException(string message, string command, int? exitCode, string error, bool timedOut, Exception? innerException = null)
        : base(message, innerException)
    {
        Command = command;
        ExitCode = exitCode;
        Error = error;
        TimedOut = timedOut;
    }

    /// <summary>The command as it was given.</summary>
    public string Command { get; }

    /// <summary>The exit code; null when the command did not start or was killed at its timeout.</summary>
    public int? ExitCode { get; }

    /// <summary>The command's standard error, as much of it as <see cref="ShellOptions.MaxOutputChars"/> kept.</summary>
    public string Error { get; }

    /// <summary>Whether the command ran past <see cref="ShellOptions.TimeoutMs"/> and its process tree was killed.</summary>
    public bool TimedOut { get; }
}
