using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Flows.Cli.Host;

/// <summary>
/// The host's entry: it runs inside the user's dependency closure, checks that the project has a Flows this tool
/// can use, then hands the request to <see cref="HostCommands"/>. Nothing here names a Flows or Spectre type, so
/// that a project without them, or with an older Flows, gets a message instead of a load failure.
/// </summary>
internal static class HostEntry
{
    public static async Task<int> RunAsync(string json)
    {
        ToolFolderResolver.Install();
        try
        {
            var request = HostRequest.FromJson(json);
            var assembly = LoadUserAssembly(request);
            CheckFlowsRuntime(request.ProjectName);
            return await ExecuteAsync(request, assembly).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            System.Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (JsonException e)
        {
            System.Console.Error.WriteLine("error: the tool passed its host a request it cannot read: " + e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is TypeLoadException or MissingMethodException or MissingFieldException or FileLoadException)
        {
            // The project's Flows, or a package the host shares with it (Spectre.Console), is not the version the tool was built with.
            System.Console.Error.WriteLine(
                $"error: an assembly of the project does not match what this flows tool ({ToolVersion}) was built with: {e.Message} " +
                $"Use the Flows packages of version {ToolVersion} in the project, or the flows tool of the project's Flows version.");
            return ExitCodes.Usage;
        }
    }

    /// <summary>The tool's own version, which is the Flows version it was built with.</summary>
    public static string ToolVersion { get; } = InformationalVersion(typeof(HostEntry).Assembly);

    // Kept apart so that the JIT meets the Flows types only after the checks above.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> ExecuteAsync(HostRequest request, Assembly assembly) => HostCommands.ExecuteAsync(request, assembly);

    private static Assembly LoadUserAssembly(HostRequest request)
    {
        try
        {
            // By name first: the deps.json lists the app, so this is the copy its dependencies bind to.
            var assembly = Assembly.Load(AssemblyName.GetAssemblyName(request.AssemblyPath));
            return string.Equals(Path.GetFullPath(assembly.Location), Path.GetFullPath(request.AssemblyPath), StringComparison.Ordinal)
                ? assembly
                : Assembly.LoadFrom(request.AssemblyPath);
        }
        catch (Exception e) when (e is FileNotFoundException or BadImageFormatException or FileLoadException)
        {
            throw new CliException($"Cannot load '{request.AssemblyPath}', the build of project '{request.ProjectName}': {e.Message}");
        }
    }

    private static void CheckFlowsRuntime(string project)
    {
        Assembly runtime;
        try
        {
            runtime = Assembly.Load(new AssemblyName("Flows.Runtime"));
        }
        catch (FileNotFoundException)
        {
            throw new CliException(
                $"Project '{project}' does not reference Flows, so it has no flows to list or run. " +
                $"Add it (dotnet add package Flows --version {ToolVersion}), write a [Flow] method, and run flows again.");
        }

        var expected = typeof(HostEntry).Assembly.GetReferencedAssemblies().First(n => n.Name == "Flows.Runtime").Version;
        if (runtime.GetName().Version < expected || runtime.GetType("Flows.Graph.FlowCatalog") is null)
        {
            throw new CliException(
                $"Project '{project}' references Flows {InformationalVersion(runtime)}, which this flows tool ({ToolVersion}) cannot use: it reads the flow catalog " +
                $"that Flows {ToolVersion} generates. Update the project's Flows packages to {ToolVersion}, or install the flows tool of the project's version " +
                $"(dotnet tool install Flows.Cli --version {InformationalVersion(runtime)}).");
        }
    }

    private static string InformationalVersion(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        // The SDK appends +<commit>; the package version is what a user can act on.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
