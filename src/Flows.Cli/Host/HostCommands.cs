using System.Reflection;
using Flows.Graph;
using Spectre.Console;

namespace Flows.Cli.Host;

/// <summary>What the host does for each command, on the user's assembly and its flow catalog.</summary>
internal static class HostCommands
{
    public static async Task<int> ExecuteAsync(HostRequest request, Assembly assembly)
    {
        var console = CreateConsole();
        var flows = Catalog(assembly, request.ProjectName);
        switch (request.Command)
        {
            case "list":
                console.MarkupLine($"{flows.Count} flow(s) in [bold]{Markup.Escape(request.ProjectName)}[/]:");
                console.Write(Tables.Flows(flows));
                return ExitCodes.Success;
            case "graph":
                var graphed = FlowNames.Find(flows, request.Flow!, request.ProjectName);
                System.Console.Out.WriteLine(GraphRendering.Render(graphed.Graph, request.Format ?? "mermaid"));
                return ExitCodes.Success;
            case "run":
                return await RunAsync(console, FlowNames.Find(flows, request.Flow!, request.ProjectName), request).ConfigureAwait(false);
            default:
                throw new CliException($"The tool asked its host for '{request.Command}', which it does not know.");
        }
    }

    private static async Task<int> RunAsync(IAnsiConsole console, FlowCatalogEntry flow, HostRequest request)
    {
        var arguments = ParameterValues.Bind(flow, request.Params ?? [], request.ParamsFile);
        var spec = ExecutorSpec.Parse(request.Executor ?? ExecutorSpec.Threads);
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C cancels the run (its tasks see their token); a second one ends the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        System.Console.CancelKeyPress += onCancel;
        try
        {
            FlowExecutor executor;
            try
            {
                executor = await Executors.CreateAsync(spec, request.ProjectName, cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                console.MarkupLine("[yellow]Cancelled before the flow started.[/]");
                return ExitCodes.Cancelled;
            }

            await using (executor.ConfigureAwait(false))
            {
                console.MarkupLine($"Running flow [bold]{Markup.Escape(flow.DisplayName)}[/] on {Markup.Escape(spec.ToString())} (Ctrl+C cancels)");
                var options = new FlowRunOptions { Listeners = [RunProgress.Listener(console)] };
                var run = await flow.RunAsync(executor, arguments, options, cancellation.Token).ConfigureAwait(false);
                console.WriteLine();
                console.Write(Tables.Tasks(run));
                if (request.Report is not null)
                {
                    RunReport.Write(run, request.Report);
                    console.MarkupLine($"Report: {Markup.Escape(request.Report)}");
                }

                return Conclude(console, flow, run, cancellation.IsCancellationRequested);
            }
        }
        finally
        {
            System.Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Conclude(IAnsiConsole console, FlowCatalogEntry flow, FlowRun run, bool cancelledByUser)
    {
        if (run.Succeeded)
        {
            console.MarkupLine($"[green]Flow {Markup.Escape(run.FlowName)} succeeded[/] in {StateText.Seconds(run.Duration)}.");
            if (flow.ResultType is not null)
            {
                console.MarkupLine("Result:");
                // Plain text, unwrapped: what a script reading the output gets.
                System.Console.Out.WriteLine(ResultText.Format(flow.ResultOf(run)));
            }

            return ExitCodes.Success;
        }

        console.MarkupLine($"[red]{Markup.Escape(FailureText(run))}[/]");
        return run.State == FlowState.Cancelled && cancelledByUser ? ExitCodes.Cancelled : ExitCodes.FlowFailed;
    }

    /// <summary>How the run ended, naming the task that made it end so and why.</summary>
    private static string FailureText(FlowRun run)
    {
        var how = StateText.State(run.State);
        if (run.FirstFailure is not { } task)
        {
            return $"Flow {run.FlowName} {how}.";
        }

        var attempts = task.Attempts == 1 ? "1 attempt" : $"{task.Attempts} attempts";
        var cause = task.Exception is null ? string.Empty : ": " + ExceptionText.Short(task.Exception);
        var skipped = run.Tasks.Count(t => t.State == TaskState.Skipped && t.SkipReason == TaskRun.UpstreamDidNotSucceed);
        var downstream = skipped == 0 ? string.Empty : $" ({skipped} task(s) after it skipped)";
        return $"Flow {run.FlowName} {how}: task {task.Name} {StateText.State(task.State)} after {attempts}{cause}{downstream}.";
    }

    private static IReadOnlyList<FlowCatalogEntry> Catalog(Assembly assembly, string project)
    {
        var flows = FlowCatalog.Load(assembly);
        if (flows.Count > 0)
        {
            return flows;
        }

        if (assembly.GetCustomAttribute<TaskRegistryAttribute>() is not null && assembly.GetCustomAttribute<FlowCatalogAttribute>() is null)
        {
            throw new CliException($"Project '{project}' was built without a flow catalog (by an older Flows generator): rebuild it with Flows {HostEntry.ToolVersion}.");
        }

        throw new CliException(
            $"Project '{project}' has no flows the tool can run: mark a public or internal static method of a partial class [Flow] " +
            "(private flows, and flows in private types, are not listed).");
    }

    private static IAnsiConsole CreateConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        if (System.Console.IsOutputRedirected)
        {
            // Read by a program or written to a file: no wrapping at the default 80 columns.
            console.Profile.Width = 200;
        }

        return console;
    }
}
