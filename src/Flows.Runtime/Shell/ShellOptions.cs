using System.Collections.Immutable;

namespace Flows;

/// <summary>
/// How <see cref="Shell.Run(string, ShellOptions, System.Threading.CancellationToken)"/> runs a command: where, with
/// which environment and input, through which shell, which exit codes count as success and how much output is kept.
/// </summary>
/// <remarks>
/// The options are data: they cross to worker processes with the task's other inputs, and one instance may be shared
/// by every element of a map. Every property has a default, so <c>new ShellOptions { WorkingDirectory = dir }</c> is enough.
/// </remarks>
public sealed class ShellOptions
{
    /// <summary>The default shell: <c>/bin/sh</c> (on Windows, <c>cmd.exe</c>).</summary>
    public static string DefaultShell => OperatingSystem.IsWindows() ? "cmd.exe" : "/bin/sh";

    /// <summary>The default limit of <see cref="MaxOutputChars"/>: 1 MiB characters per stream.</summary>
    public const int DefaultMaxOutputChars = 1024 * 1024;

    /// <summary>The default limit of <see cref="MaxLoggedLines"/>: 10,000 lines per stream.</summary>
    public const int DefaultMaxLoggedLines = 10_000;

    /// <summary>The options <see cref="Shell.Run(string, System.Threading.CancellationToken)"/> uses.</summary>
    public static ShellOptions Default { get; } = new();

    /// <summary>The directory the command runs in; null for the current directory of the process that runs the task.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// Environment variables set for the command, on top of the environment of the process that runs the task
    /// (a worker's, on the process and cluster executors); a null value removes the variable.
    /// </summary>
    public ImmutableDictionary<string, string?> Environment { get; init; } = ImmutableDictionary<string, string?>.Empty;

    /// <summary>Text written to the command's standard input, which is then closed; null for an empty input.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// The program that runs the command: it is started as <c>Shell -c COMMAND</c> (<c>/C</c> for <c>cmd.exe</c>).
    /// Null to start the command itself as a program, with <see cref="Arguments"/> as its arguments and no shell between.
    /// </summary>
    public string? Shell { get; init; } = DefaultShell;

    /// <summary>The arguments of the program when <see cref="Shell"/> is null; ignored otherwise.</summary>
    public ImmutableArray<string> Arguments { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>The exit codes that count as success; empty (the default) for 0 only.</summary>
    public ImmutableArray<int> AllowedExitCodes { get; init; } = ImmutableArray<int>.Empty;

    /// <summary>
    /// The longest the command may run, in milliseconds; 0 (the default) for no limit. Past it the whole process tree is
    /// killed and the task fails with a <see cref="ShellCommandException"/> whose <see cref="ShellCommandException.TimedOut"/> is set.
    /// </summary>
    public int TimeoutMs { get; init; }

    /// <summary>
    /// The most characters of standard output, and separately of standard error, kept in the <see cref="ShellResult"/>:
    /// the last ones, since the end of an output is where a command says how it went. What came before is dropped as it
    /// comes (memory stays bounded whatever the command writes) and the result says so
    /// (<see cref="ShellResult.OutputTruncated"/>, <see cref="ShellResult.ErrorTruncated"/>).
    /// </summary>
    public int MaxOutputChars { get; init; } = DefaultMaxOutputChars;

    /// <summary>
    /// The most lines of standard output, and separately of standard error, written to the task's logger; past it one
    /// record says how many more were not logged. 0 to log none.
    /// </summary>
    public int MaxLoggedLines { get; init; } = DefaultMaxLoggedLines;

    /// <summary>Whether <paramref name="exitCode"/> counts as success.</summary>
    public bool Allows(int exitCode) => AllowedExitCodes.IsDefaultOrEmpty ? exitCode == 0 : AllowedExitCodes.Contains(exitCode);
}
