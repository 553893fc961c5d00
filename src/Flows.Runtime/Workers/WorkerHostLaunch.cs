using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Flows.Workers;

/// <summary>
/// How a worker host (<c>Flows.Worker.dll</c>, <c>Flows.Cluster.dll</c>) is started, for both kinds of worker
/// process. A host runs on the application's own runtime and dependency set: the package's build targets put
/// copies of the app's <c>runtimeconfig.json</c> and <c>deps.json</c> next to it under its own name, and, for a
/// self-contained app, a native launcher (apphost) named after it. So a framework-dependent app starts
/// <c>dotnet exec Host.dll</c> and a self-contained one runs the launcher, which needs no .NET installed.
/// </summary>
internal sealed class WorkerHostLaunch
{
    private WorkerHostLaunch(string hostPath, string? launcher, string? dotnet)
    {
        HostPath = hostPath;
        Launcher = launcher;
        Dotnet = dotnet;
    }

    /// <summary>
    /// What every worker process runs with, whatever the application's runtimeconfig chose for itself: a
    /// workstation GC without a background thread, which keeps each of the many workers on one machine small.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> WorkerGcSettings = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
    };

    /// <summary>The host assembly.</summary>
    public string HostPath { get; }

    /// <summary>The host's own native launcher, when it has one and no dotnet host was asked for.</summary>
    public string? Launcher { get; }

    /// <summary>The dotnet host that runs <c>exec HostPath</c> when there is no launcher.</summary>
    public string? Dotnet { get; }

    /// <summary>What the process is started as, for error messages.</summary>
    public string CommandLine => Launcher ?? $"{Dotnet} exec {HostPath}";

    /// <summary>
    /// Finds how to start <paramref name="hostPath"/>: its launcher if the build made one (a self-contained app)
    /// and <paramref name="dotnetPath"/> is not set, else a dotnet host.
    /// </summary>
    public static WorkerHostLaunch For(string hostPath, string? dotnetPath)
    {
        var launcher = Path.Combine(
            Path.GetDirectoryName(hostPath) ?? ".",
            Path.GetFileNameWithoutExtension(hostPath) + (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? ".exe" : string.Empty));
        return dotnetPath is null && File.Exists(launcher)
            ? new WorkerHostLaunch(hostPath, launcher, null)
            : new WorkerHostLaunch(hostPath, null, FindDotnet(dotnetPath));
    }

    /// <summary>
    /// A start description with the host's arguments to follow and the runtime settings a worker needs, which
    /// override whatever the application's runtimeconfig says (environment variables take precedence).
    /// </summary>
    public ProcessStartInfo CreateStartInfo(IReadOnlyDictionary<string, string> runtimeSettings)
    {
        var start = new ProcessStartInfo(Launcher ?? Dotnet!) { UseShellExecute = false };
        if (Launcher is null)
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(HostPath);
        }

        foreach (var (name, value) in runtimeSettings)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>The dotnet host: the one given, else the one running this process, else the one beside this runtime, else PATH.</summary>
    private static string FindDotnet(string? dotnetPath)
    {
        if (dotnetPath is not null)
        {
            return dotnetPath;
        }

        // Set by the dotnet CLI (run, test); otherwise the host of this runtime, then PATH.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var executable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == executable)
        {
            return self;
        }

        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var candidate = Path.Combine(root, executable);
        return File.Exists(candidate) ? candidate : executable;
    }

    /// <summary>
    /// Finds a host assembly next to the application, then next to <paramref name="beside"/>'s assembly.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "An assembly's location is only a fallback; an empty one is skipped.")]
    public static string? FindHost(string fileName, Type beside)
    {
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, fileName),
            Path.GetDirectoryName(beside.Assembly.Location) is { Length: > 0 } directory ? Path.Combine(directory, fileName) : null,
        };
        return candidates.FirstOrDefault(c => c is not null && File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")));
    }
}
