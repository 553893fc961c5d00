using System.CommandLine;

namespace Flows.Cli.Tool;

/// <summary>
/// The <c>flows</c> command line: <c>list</c>, <c>graph</c> and <c>run</c>, each building the project (unless
/// <c>--no-build</c>) and handing the work to the host inside it.
/// </summary>
internal static class ToolCommands
{
    private static readonly Option<string?> ProjectOption = new("--project", "-p")
    {
        Description = "The project whose flows to use: a project file, or a folder that holds one. Default: the current folder.",
        HelpName = "DIR",
        Recursive = true,
    };

    private static readonly Option<string> ConfigurationOption = new("--configuration", "-c")
    {
        Description = "The build configuration.",
        DefaultValueFactory = _ => "Debug",
        Recursive = true,
    };

    private static readonly Option<string?> FrameworkOption = new("--framework", "-f")
    {
        Description = "The target framework, for a project that targets several.",
        HelpName = "TFM",
        Recursive = true,
    };

    private static readonly Option<bool> NoBuildOption = new("--no-build")
    {
        Description = "Use the project's last build instead of building it first.",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Build().Parse(args);
        // The host handles Ctrl+C (it cancels the run); the tool only waits for it to exit.
        var exitCode = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
        return parsed.Errors.Count > 0 ? ExitCodes.Usage : exitCode;
    }

    /// <summary>The command tree, for <see cref="RunAsync"/> and the tests.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Lists, draws and runs the [Flow] methods of a .NET project. The project is built (unless --no-build) and " +
            "run with its own dependencies, so its own Flows version is used.");
        root.Options.Add(ProjectOption);
        root.Options.Add(ConfigurationOption);
        root.Options.Add(FrameworkOption);
        root.Options.Add(NoBuildOption);
        root.Subcommands.Add(ListCommand());
        root.Subcommands.Add(GraphCommand());
        root.Subcommands.Add(RunCommand());
        return root;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "Lists the project's flows: name, type, parameters with their types, and result type.");
        command.SetAction(result => Execute(result, project => new HostRequest("list", project.TargetPath, project.Name)));
        return command;
    }

    private static Command GraphCommand()
    {
        var flow = FlowArgument();
        var format = new Option<string>("--format")
        {
            Description = "The picture's text format: mermaid (a Mermaid flowchart) or dot (Graphviz).",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var command = new Command("graph", "Prints a flow's graph as Mermaid or Graphviz dot text.") { flow, format };
        command.SetAction(result => Execute(result, project =>
            new HostRequest("graph", project.TargetPath, project.Name, Flow: result.GetValue(flow), Format: result.GetValue(format))));
        return command;
    }

    private static Command RunCommand()
    {
        var flow = FlowArgument();
        var executor = new Option<string>("--executor", "-e")
        {
            Description = $"Where the tasks run: {ExecutorSpec.Form}. cluster needs the Flows.Cluster package in the project.",
            DefaultValueFactory = _ => ExecutorSpec.Threads,
            HelpName = "KIND[:N]",
        };
        executor.Validators.Add(r =>
        {
            try
            {
                ExecutorSpec.Parse(r.GetValueOrDefault<string>());
            }
            catch (CliException e)
            {
                r.AddError(e.Message);
            }
        });
        var param = new Option<string[]>("--param")
        {
            Description = "A parameter's value, NAME=VALUE (repeat for each): numbers, strings, bools, enums, dates and times, " +
                          "Guids, and arrays of them as comma lists, in the invariant culture.",
            HelpName = "NAME=VALUE",
            Arity = ArgumentArity.OneOrMore,
        };
        var paramsFile = new Option<string?>("--params")
        {
            Description = "A JSON object of parameter values by name, for parameters of any type: {\"rows\": [{\"text\": \"a\"}]}.",
            HelpName = "FILE.json",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Also writes an HTML report of the run to this file.",
            HelpName = "FILE.html",
        };
        var command = new Command(
            "run",
            "Runs a flow with a live progress display, then prints its result and a table of its tasks. " +
            "Exit code: 0 when the flow succeeded, 1 when it did not, 2 when it could not run, 130 after Ctrl+C.")
        {
            flow, executor, param, paramsFile, report,
        };
        command.SetAction(result => Execute(result, project => new HostRequest(
            "run",
            project.TargetPath,
            project.Name,
            Flow: result.GetValue(flow),
            Executor: result.GetValue(executor),
            Params: result.GetValue(param) ?? [],
            ParamsFile: result.GetValue(paramsFile) is { } file ? Path.GetFullPath(file) : null,
            Report: result.GetValue(report) is { } html ? Path.GetFullPath(html) : null)));
        return command;
    }

    private static Argument<string> FlowArgument() => new("FLOW")
    {
        Description = "The flow: its method's name, or Type.Method (or Namespace.Type.Method) when two types have a flow of that name.",
    };

    private static int Execute(ParseResult result, Func<UserProject, HostRequest> request)
    {
        try
        {
            var project = UserProject.Open(result.GetValue(ProjectOption), result.GetValue(ConfigurationOption)!, result.GetValue(FrameworkOption));
            if (!result.GetValue(NoBuildOption))
            {
                project.Build();
            }

            return HostLaunch.Run(project, request(project));
        }
        catch (CliException e)
        {
            System.Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
    }
}
