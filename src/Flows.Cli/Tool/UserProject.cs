using System.Text.Json;

namespace Flows.Cli.Tool;

/// <summary>
/// The user's project and what its build gives: the assembly, its deps.json and runtimeconfig.json, the NuGet
/// package folders its dependencies resolve from; read from MSBuild, as <c>dotnet ef</c> does.
/// </summary>
internal sealed class UserProject
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];

    private UserProject(string path, string configuration, string? framework, IReadOnlyDictionary<string, string> properties)
    {
        Path = path;
        Configuration = configuration;
        Framework = framework;
        Property = name => properties.TryGetValue(name, out var value) ? value : string.Empty;
    }

    /// <summary>The project file.</summary>
    public string Path { get; }

    /// <summary>The project's name (its file name without extension).</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    public string Configuration { get; }

    public string? Framework { get; }

    private Func<string, string> Property { get; }

    /// <summary>The built assembly.</summary>
    public string TargetPath => Property("TargetPath");

    /// <summary>The build's deps.json, next to the assembly.</summary>
    public string DepsFile => Property("ProjectDepsFilePath");

    /// <summary>The build's runtimeconfig.json (none for a class library).</summary>
    public string RuntimeConfigFile => Property("ProjectRuntimeConfigFilePath");

    /// <summary>The NuGet package folders the project's packages were restored to.</summary>
    public IReadOnlyList<string> PackageFolders => ReadPackageFolders(Property("ProjectAssetsFile"));

    /// <summary>
    /// Finds the project named by <paramref name="projectOption"/> (a project file, or a folder holding exactly one;
    /// the current folder when null) and reads its output paths.
    /// </summary>
    public static UserProject Open(string? projectOption, string configuration, string? framework)
    {
        var path = FindProjectFile(projectOption ?? Directory.GetCurrentDirectory());
        var arguments = new List<string> { "msbuild", path, "-nologo", $"-p:Configuration={configuration}" };
        if (framework is not null)
        {
            arguments.Add($"-p:TargetFramework={framework}");
        }

        foreach (var name in new[] { "TargetPath", "ProjectDepsFilePath", "ProjectRuntimeConfigFilePath", "ProjectAssetsFile", "TargetFramework", "TargetFrameworks" })
        {
            arguments.Add("-getProperty:" + name);
        }

        var (exitCode, output) = DotnetCommand.Capture(arguments);
        if (exitCode != 0)
        {
            throw new CliException($"Cannot read the project '{path}' (dotnet msbuild exited with {exitCode}):\n{output.Trim()}");
        }

        var properties = ParseProperties(output, path);
        var project = new UserProject(path, configuration, framework, properties);
        if (framework is null && project.Property("TargetFramework").Length == 0 && project.Property("TargetFrameworks").Length > 0)
        {
            throw new CliException(
                $"Project '{project.Name}' targets several frameworks ({project.Property("TargetFrameworks")}): choose one with --framework, e.g. --framework {project.Property("TargetFrameworks").Split(';')[0]}.");
        }

        return project;
    }

    /// <summary>Builds the project (<c>dotnet build</c>); its output is shown only when the build fails.</summary>
    public void Build()
    {
        System.Console.Error.WriteLine($"Building {Name}...");
        var arguments = new List<string> { "build", Path, "-nologo", "-v", "q", "-c", Configuration };
        if (Framework is not null)
        {
            arguments.Add("-f");
            arguments.Add(Framework);
        }

        var (exitCode, output) = DotnetCommand.Capture(arguments);
        if (exitCode != 0)
        {
            throw new CliException($"The build of '{Name}' failed; fix it, then run flows again:\n{output.Trim()}");
        }
    }

    private static string FindProjectFile(string given)
    {
        var full = System.IO.Path.GetFullPath(given);
        if (File.Exists(full))
        {
            return full;
        }

        if (!Directory.Exists(full))
        {
            throw new CliException($"No project at '{given}': --project takes a project file or a folder that holds one.");
        }

        var projects = Directory.GetFiles(full).Where(f => ProjectExtensions.Contains(System.IO.Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        return projects.Count switch
        {
            1 => projects[0],
            0 => throw new CliException($"No project file in '{full}': run flows in your project's folder, or name it with --project."),
            _ => throw new CliException($"'{full}' holds several projects ({string.Join(", ", projects.Select(System.IO.Path.GetFileName))}): name one with --project."),
        };
    }

    private static Dictionary<string, string> ParseProperties(string output, string path)
    {
        // msbuild prints {"Properties": {...}} for more than one -getProperty; a restore may print lines before it.
        var start = output.IndexOf('{');
        if (start < 0)
        {
            throw new CliException($"dotnet msbuild printed no properties for '{path}':\n{output.Trim()}");
        }

        using var json = JsonDocument.Parse(output[start..]);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
    }

    private static IReadOnlyList<string> ReadPackageFolders(string assetsFile)
    {
        if (assetsFile.Length == 0 || !File.Exists(assetsFile))
        {
            return [];
        }

        using var json = JsonDocument.Parse(File.ReadAllText(assetsFile));
        return json.RootElement.TryGetProperty("packageFolders", out var folders)
            ? folders.EnumerateObject().Select(f => f.Name.TrimEnd('/', '\\')).ToList()
            : [];
    }
}
