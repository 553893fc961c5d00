using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Flows.Cli.Tool;

/// <summary>Runs the <c>dotnet</c> host: the one that runs this tool, else the one on PATH.</summary>
internal static class DotnetCommand
{
    /// <summary>The dotnet host's path: DOTNET_HOST_PATH (set by the CLI), this process if it is dotnet, the one beside this runtime, else PATH.</summary>
    public static string Path { get; } = Find();

    /// <summary>Runs <c>dotnet ARGS</c> with its output captured; the exit code and everything it printed, interleaved.</summary>
    public static (int ExitCode, string Output) Capture(IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = StartInfo(arguments, workingDirectory);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        Start(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    /// <summary>Runs <c>dotnet ARGS</c> on this console (its input, output and terminal), and waits for it.</summary>
    public static int RunAttached(IEnumerable<string> arguments)
    {
        using var process = new Process { StartInfo = StartInfo(arguments, null) };
        Start(process);
        process.WaitForExit();
        return process.ExitCode;
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(Path) { UseShellExecute = false };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return start;
    }

    private static void Start(Process process)
    {
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CliException($"Cannot start '{process.StartInfo.FileName}': {e.Message}. The flows tool needs the .NET SDK's dotnet command on PATH.");
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var executable = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && System.IO.Path.GetFileName(self) == executable)
        {
            return self;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = System.IO.Path.Combine(root, executable);
        return File.Exists(candidate) ? candidate : executable;
    }
}
