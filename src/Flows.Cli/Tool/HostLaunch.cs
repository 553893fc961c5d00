namespace Flows.Cli.Tool;

/// <summary>
/// Starts this assembly again as the host, inside the user's build: <c>dotnet exec --depsfile APP.deps.json
/// --runtimeconfig APP.runtimeconfig.json Flows.Cli.dll --flows-host-request JSON</c>. The user's deps.json makes
/// their folder the application's base and their Flows version the one that loads; the host finds its own
/// few dependencies in the tool's folder.
/// </summary>
internal static class HostLaunch
{
    public static int Run(UserProject project, HostRequest request)
    {
        if (!File.Exists(project.TargetPath))
        {
            throw new CliException($"'{project.TargetPath}' does not exist: build '{project.Name}' first, or run without --no-build.");
        }

        if (!File.Exists(project.DepsFile))
        {
            throw new CliException($"'{project.DepsFile}' does not exist: the flows tool runs your project with the dependency file its build writes (GenerateDependencyFile must not be false).");
        }

        var self = typeof(HostLaunch).Assembly.Location;
        // A class library has no runtimeconfig.json of its own: it runs on the tool's (the same .NET).
        var runtimeConfig = File.Exists(project.RuntimeConfigFile)
            ? project.RuntimeConfigFile
            : System.IO.Path.ChangeExtension(self, ".runtimeconfig.json");
        var arguments = new List<string> { "exec", "--depsfile", project.DepsFile, "--runtimeconfig", runtimeConfig };
        foreach (var folder in project.PackageFolders)
        {
            arguments.Add("--additionalprobingpath");
            arguments.Add(folder);
        }

        arguments.Add(self);
        arguments.Add(HostRequest.HostModeArgument);
        arguments.Add(request.ToJson());

        // Ctrl+C reaches the host too (one process group): the host cancels the run and says how it ended.
        ConsoleCancelEventHandler ignore = (_, e) => e.Cancel = true;
        System.Console.CancelKeyPress += ignore;
        try
        {
            return DotnetCommand.RunAttached(arguments);
        }
        finally
        {
            System.Console.CancelKeyPress -= ignore;
        }
    }
}
