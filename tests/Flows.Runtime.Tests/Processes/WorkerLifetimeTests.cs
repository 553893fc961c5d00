using System.Diagnostics;
using System.Net.Sockets;
using Flows.Processes;

namespace Flows.Runtime.Tests.Processes;

/// <summary>
/// A worker lives only as long as its flow process: when the connection to it closes (the flow
/// process disposed the executor, or died and the kernel closed its sockets), the worker exits.
/// </summary>
public sealed class WorkerLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_exits_when_its_flow_process_goes_away()
    {
        var directory = Directory.CreateTempSubdirectory("flows-lifetime-").FullName;
        var socketPath = Path.Combine(directory, "parent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(2);

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Flows.Worker.dll"));
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(socketPath);
        using var worker = Process.Start(start)!;
        try
        {
            using var limit = new CancellationTokenSource(Patience);
            var data = new FrameConnection(await listener.AcceptAsync(limit.Token));
            var control = new FrameConnection(await listener.AcceptAsync(limit.Token));

            // The worker answers the handshake: it is alive and serving.
            var hello = new FrameBuffer();
            hello.BeginFrame(FrameKind.Hello);
            hello.WriteInt32(WorkerProtocol.Version);
            hello.WriteInt32(1); // the worker's id
            hello.WriteString(string.Empty); // no shared-memory folder
            hello.EndFrame();
            data.Send(hello);
            Assert.True(data.TryReceive(out var ack));
            Assert.Equal(FrameKind.HelloAck, ack.Kind);
            Assert.False(worker.HasExited);

            // The flow process goes away: its end of both connections closes.
            data.Dispose();
            control.Dispose();
            await worker.WaitForExitAsync(limit.Token);

            // Whichever connection's end the worker notices first: the task connection's (idle) or the control one's.
            Assert.Contains(worker.ExitCode, new[] { WorkerExitCode.Closed, WorkerExitCode.FlowProcessGone });
        }
        finally
        {
            if (!worker.HasExited)
            {
                worker.Kill();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Disposing_the_executor_ends_its_workers()
    {
        var executor = new ProcessExecutor(numWorkers: 2);
        await executor.StartAsync().WaitAsync(Patience);
        var workers = executor.WorkerProcessIds.Select(Process.GetProcessById).ToList();
        Assert.Equal(2, workers.Count);

        executor.Dispose();
        using var limit = new CancellationTokenSource(Patience);
        foreach (var worker in workers)
        {
            await worker.WaitForExitAsync(limit.Token);
            worker.Dispose();
        }
    }
}
