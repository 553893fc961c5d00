using Microsoft.Extensions.Logging;

namespace Flows.EndToEnd.Tests;

/// <summary>Flows that run shell commands with the built-in <see cref="Shell"/> tasks.</summary>
public static partial class ShellFlows
{
    [Task]
    public static string Describe(ShellResult result) => $"{result.ExitCode}|{result.Output}|{result.Error}|{result.OutputTruncated}";

    [Flow]
    public static async Task<string> Run(string command, CancellationToken ct)
    {
        var result = await Shell.Run(command, ct);
        return Describe(result);
    }

    [Flow]
    public static async Task<string> RunWith(string command, ShellOptions options, CancellationToken ct)
    {
        var result = await Shell.Run(command, options, ct);
        return Describe(result);
    }

    [Flow]
    public static async Task<ShellResult> Logged(string command, ILogger log, CancellationToken ct) => await Shell.Run(command, log, ct);

    [Flow]
    public static async Task<ShellResult> LoggedWith(string command, ShellOptions options, ILogger log, CancellationToken ct) =>
        await Shell.Run(command, options, log, ct);

    /// <summary>Both overloads in one flow: each is its own task, with its own id, invoker and codec.</summary>
    [Flow]
    public static async Task<string> Both(string first, string second, ShellOptions options, CancellationToken ct)
    {
        var a = await Shell.Run(first, ct);
        var b = await Shell.Run(second, options, ct);
        var x = Describe(a);
        var y = Describe(b);
        return Join(x, y);
    }

    [Task]
    public static string Join(string first, string second) => first + "/" + second;

    [Flow]
    public static async Task<ShellResult[]> All(string[] commands, CancellationToken ct) => await Flow.Map(Shell.Run, commands, ct);

    [Flow]
    public static async Task<ShellResult[]> AllWith(string[] commands, ShellOptions options, CancellationToken ct) =>
        await Flow.Map(Shell.Run, commands, options, ct);
}
