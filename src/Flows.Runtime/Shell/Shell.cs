using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flows;

/// <summary>
/// Built-in tasks that run shell commands: <c>var result = await Shell.Run("make all", ct);</c> in a flow body is a task
/// like any other, on every executor. The command runs through <c>/bin/sh -c</c> (see <see cref="ShellOptions"/>); an exit
/// code that is not allowed fails the task with a <see cref="ShellCommandException"/> that names the command, the code
/// and the last lines of standard error. Cancelling the run kills the command's whole process tree, and no thread is
/// held while it runs. Given the flow's <see cref="ILogger"/>, each line of output is logged as it comes (standard output
/// as Information, standard error as Warning), which a run sends to <see cref="FlowRunOptions.LoggerFactory"/> from any
/// executor.
/// </summary>
public static class Shell
{
    /// <summary>Runs <paramref name="command"/> through <c>/bin/sh -c</c>; fails unless it exits with 0.</summary>
    /// <param name="command">The command line, as a shell reads it.</param>
    /// <param name="cancellationToken">Cancels the task: the command's process tree is killed.</param>
    [Task]
    public static Task<ShellResult> Run(string command, CancellationToken cancellationToken) =>
        ShellProcess.RunAsync(command, ShellOptions.Default, NullLogger.Instance, cancellationToken);

    /// <summary>Runs <paramref name="command"/> as <paramref name="options"/> say.</summary>
    /// <param name="command">The command line, as the shell reads it (or the program, when <see cref="ShellOptions.Shell"/> is null).</param>
    /// <param name="options">Where and how to run it, what counts as success, how much output to keep.</param>
    /// <param name="cancellationToken">Cancels the task: the command's process tree is killed.</param>
    [Task]
    public static Task<ShellResult> Run(string command, ShellOptions options, CancellationToken cancellationToken) =>
        ShellProcess.RunAsync(command, options, NullLogger.Instance, cancellationToken);

    /// <summary>Runs <paramref name="command"/> through <c>/bin/sh -c</c>, logging its output lines as they come.</summary>
    /// <param name="command">The command line, as a shell reads it.</param>
    /// <param name="log">The flow's logger (in a run, the runtime binds the task's own).</param>
    /// <param name="cancellationToken">Cancels the task: the command's process tree is killed.</param>
    [Task]
    public static Task<ShellResult> Run(string command, ILogger log, CancellationToken cancellationToken) =>
        ShellProcess.RunAsync(command, ShellOptions.Default, log, cancellationToken);

    /// <summary>Runs <paramref name="command"/> as <paramref name="options"/> say, logging its output lines as they come.</summary>
    /// <param name="command">The command line, as the shell reads it (or the program, when <see cref="ShellOptions.Shell"/> is null).</param>
    /// <param name="options">Where and how to run it, what counts as success, how much output to keep and log.</param>
    /// <param name="log">The flow's logger (in a run, the runtime binds the task's own).</param>
    /// <param name="cancellationToken">Cancels the task: the command's process tree is killed.</param>
    [Task]
    public static Task<ShellResult> Run(string command, ShellOptions options, ILogger log, CancellationToken cancellationToken) =>
        ShellProcess.RunAsync(command, options, log, cancellationToken);
}
