namespace Flows;

/// <summary>What a command run by <see cref="Shell.Run(string, System.Threading.CancellationToken)"/> did.</summary>
/// <param name="Command">The command as it was given.</param>
/// <param name="ExitCode">The command's exit code (one that <see cref="ShellOptions.AllowedExitCodes"/> allows).</param>
/// <param name="Output">Its standard output: the last <see cref="ShellOptions.MaxOutputChars"/> characters of it.</param>
/// <param name="Error">Its standard error: the last <see cref="ShellOptions.MaxOutputChars"/> characters of it.</param>
/// <param name="Duration">From the start of the process until it exited and its output streams closed.</param>
/// <param name="OutputTruncated">Whether the start of the standard output was dropped to keep <see cref="Output"/> within the limit.</param>
/// <param name="ErrorTruncated">Whether the start of the standard error was dropped to keep <see cref="Error"/> within the limit.</param>
public sealed record ShellResult(
    string Command,
    int ExitCode,
    string Output,
    string Error,
    TimeSpan Duration,
    bool OutputTruncated,
    bool ErrorTruncated);
