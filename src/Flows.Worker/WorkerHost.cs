using System.Net.Sockets;
using Flows.Processes;

namespace Flows.Worker;

/// <summary>
/// The entry point of a worker process: one small generic host that serves any user assembly. It
/// connects back to the flow process, loads the assemblies it is told to (refusing a different
/// build), and runs tasks by id on bytes. It never receives code.
/// </summary>
internal static class WorkerHost
{
    /// <summary>Runs the worker until the flow process closes the connection (or dies).</summary>
    /// <param name="args"><c>--socket PATH</c>: the flow process's socket to connect to.</param>
    /// <returns>The process exit code.</returns>
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var socketPath = ArgumentAfter(args, "--socket");
        if (socketPath is null)
        {
            Console.Error.WriteLine("Flows.Worker is started by a ProcessExecutor, not by hand: it needs --socket PATH.");
            return Task.FromResult(WorkerExitCode.Usage);
        }

        // Two connections: one carries tasks and results in order; the other carries cancellations,
        // which must reach a task while the first is busy running it.
        var data = Connect(socketPath);
        var control = data is null ? null : Connect(socketPath);
        if (data is null || control is null)
        {
            data?.Dispose();
            return Task.FromResult(WorkerExitCode.CannotConnect);
        }

        using var dataConnection = new FrameConnection(data, spinBeforeBlocking: static () => true);
        using var controlConnection = new FrameConnection(control);
        // What tasks write to the console is marked with the task, for the flow process to pass on.
        Flows.Workers.TaskOutput.Install();
        return Task.FromResult(new WorkerSession(dataConnection, controlConnection).Serve());
    }

    private static Socket? Connect(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return socket;
        }
        catch (SocketException ex)
        {
            Console.Error.WriteLine($"Flows.Worker could not connect to the flow process at {socketPath}: {ex.Message}");
            socket.Dispose();
            return null;
        }
    }

    private static string? ArgumentAfter(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
