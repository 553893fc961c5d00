using System.Diagnostics;
using Flows.Graph;

namespace Flows.Bench;

/// <summary>
/// The <c>shell</c> shape: <c>Shell.Run("true")</c> N times in a map (the graph a generated flow builds), then one task
/// that counts the successes (N + 1 task runs); and its floor, a plain <see cref="Process.Start(ProcessStartInfo)"/> loop
/// that starts the same <c>/bin/sh -c true</c>, reads both its outputs to the end and awaits its exit, at most W at a time
/// (the <c>tpl</c> executor). The difference per command is what Shell.Run and the scheduler add to a process start.
/// </summary>
public static class ShellShape
{
    public const string Command = "true";

    /// <summary>
    /// <c>Shell.Run(string, CancellationToken)</c> as the generated registry describes it. There is no codec (the runner
    /// has one hand-written registry, for its own tasks): the shape runs on the local and threads executors.
    /// </summary>
    public static readonly TaskDescriptor ShellRunTask = new(
        "Flows.Shell.Run(string, System.Threading.CancellationToken)", "Run",
        static (in TaskArguments a, CancellationToken ct) => Shell.Run(a.Get<string>(0)!, ct),
        asyncResult: static t => ((Task<ShellResult>)t).Result);

    public static readonly TaskDescriptor CountSucceededTask = new(
        "Flows.Bench.ShellShape.CountSucceeded", "countSucceeded",
        static (in TaskArguments a, CancellationToken _) => CountSucceeded(a.Get<ShellResult[]>(0)!));

    public static int CountSucceeded(ShellResult[] results) => results.Count(r => r.ExitCode == 0);

    /// <summary>What <c>var results = await Flow.Map(Shell.Run, commands, ct); return CountSucceeded(results);</c> compiles to.</summary>
    public static BuiltGraph Build(int n)
    {
        const int first = 1; // slot 0 is the parameter
        var nodes = new[]
        {
            FlowNode.ForMap("Run", ShellRunTask, MapAdapter<string, ShellResult>.Instance, 0),
            FlowNode.ForTask("countSucceeded", CountSucceededTask, first),
        };
        var graph = new FlowGraph("shell", ["commands"], [], nodes, first + 1);
        return new BuiltGraph(graph, [Enumerable.Repeat(Command, n).ToArray()], n + 1, n);
    }

    /// <summary>The floor: N plain process starts of the same command, at most <paramref name="workers"/> at once; returns the successes.</summary>
    public static int ProcessStartLoop(int n, int workers)
    {
        var succeeded = 0;
        Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = workers }, async (_, ct) =>
        {
            var start = new ProcessStartInfo(ShellOptions.DefaultShell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(Command);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await Task.WhenAll(output, error).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (process.ExitCode == 0)
            {
                Interlocked.Increment(ref succeeded);
            }
        }).GetAwaiter().GetResult();
        return succeeded;
    }
}
