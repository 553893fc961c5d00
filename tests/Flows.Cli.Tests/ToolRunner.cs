using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Flows.Cli.Tests;

/// <summary>What one run of the tool printed, and its exit code.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs the built tool, <c>dotnet src/Flows.Cli/bin/CONFIG/net10.0/Flows.Cli.dll</c>: the folder an installed tool
/// runs from holds the same files. The child gets none of the test run's MSBuild variables, and builds projects
/// without building the repository's projects they reference again (the test project built those first).
/// </summary>
public static class ToolRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Configuration { get; } =
        typeof(ToolRunner).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string ToolPath { get; } = Path.Combine(RepositoryRoot, "src", "Flows.Cli", "bin", Configuration, "net10.0", "Flows.Cli.dll");

    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>flows ARGS</c> in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static ToolResult Run(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, [ToolPath, .. args], out var output, out var error);
        return Wait(process, output, error);
    }

    /// <summary>Runs <c>dotnet ARGS</c> (a build) and fails the test with its output if it fails.</summary>
    public static void Dotnet_(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args, out var output, out var error);
        var result = Wait(process, output, error);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{result}");
    }

    public static Process Start(string workingDirectory, IEnumerable<string> args, out StringBuilder output, out StringBuilder error, string? launcher = null, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(launcher ?? Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (launcher is not null)
        {
            start.ArgumentList.Add(Dotnet);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in new[] { "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["BuildProjectReferences"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (stdout)
            {
                stdout.AppendLine(e.Data);
            }

            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = stdout;
        error = stderr;
        return process;
    }

    public static ToolResult Wait(Process process, StringBuilder output, StringBuilder error)
    {
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not end within {Timeout}:\n{Text(output)}\n{Text(error)}");
        }

        process.WaitForExit();
        return new ToolResult(process.ExitCode, Text(output), Text(error));
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Flows.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder holding Flows.sln above {AppContext.BaseDirectory}.");
    }
}
