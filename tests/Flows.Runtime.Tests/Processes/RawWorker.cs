using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Flows.Graph;
using Flows.Processes;

namespace Flows.Runtime.Tests.Processes;

/// <summary>
/// A real worker process (<c>Flows.Worker.dll</c>) with the test as its flow process: the test holds
/// the listening socket and both connections, so it can send any frame, or close them as a dying
/// flow process's kernel would, and watch what the worker does. Its error output is collected.
/// </summary>
internal sealed class RawWorker : IDisposable
{
    private readonly string _directory;
    private readonly StringBuilder _stderr;

    private RawWorker(string directory, Process process, StringBuilder stderr, FrameConnection data, FrameConnection control)
    {
        _directory = directory;
        _stderr = stderr;
        Process = process;
        Data = data;
        Control = control;
    }

    public Process Process { get; }

    /// <summary>Tasks out, answers back.</summary>
    public FrameConnection Data { get; }

    /// <summary>Cancellations.</summary>
    public FrameConnection Control { get; }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a worker, accepts its two connections and completes the handshake.</summary>
    public static async Task<RawWorker> StartAsync(TimeSpan patience)
    {
        var directory = Directory.CreateTempSubdirectory("flows-raw-").FullName;
        var socketPath = Path.Combine(directory, "parent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(2);

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Flows.Worker.dll"));
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(socketPath);
        var process = new Process { StartInfo = start };
        var stderr = new StringBuilder();
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
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(patience);
        var data = new FrameConnection(await listener.AcceptAsync(limit.Token));
        var control = new FrameConnection(await listener.AcceptAsync(limit.Token));
        var worker = new RawWorker(directory, process, stderr, data, control);

        var hello = new FrameBuffer();
        hello.BeginFrame(FrameKind.Hello);
        hello.WriteInt32(WorkerProtocol.Version);
        hello.WriteInt32(1); // the worker's id
        hello.WriteString(string.Empty); // no shared-memory folder
        hello.EndFrame();
        data.Send(hello);
        if (!data.TryReceive(out var ack) || ack.Kind != FrameKind.HelloAck)
        {
            worker.Dispose();
            throw new InvalidOperationException("the worker did not answer the handshake");
        }

        return worker;
    }

    /// <summary>Loads this test assembly in the worker, defines <paramref name="task"/> as task 0 and runs it <paramref name="times"/> times.</summary>
    public void Run(TaskDescriptor task, object?[] arguments, int times)
    {
        var assembly = typeof(WorkerTasks).Assembly;
        var frames = new FrameBuffer();
        frames.BeginFrame(FrameKind.LoadAssembly);
        frames.WriteInt32(0);
        frames.WriteString(assembly.Location);
        frames.WriteGuid(assembly.ManifestModule.ModuleVersionId);
        frames.EndFrame();
        frames.BeginFrame(FrameKind.DefineTask);
        frames.WriteInt32(0);
        frames.WriteInt32(0);
        frames.WriteString(task.Id);
        frames.EndFrame();
        for (var request = 0; request < times; request++)
        {
            frames.BeginFrame(FrameKind.Run);
            frames.WriteInt64(request);
            frames.WriteInt32(0);
            frames.WriteByte(0); // no log records wanted
            task.Codec!.WriteArguments(TaskArguments.FromValues(arguments), frames);
            frames.EndFrame();
        }

        Data.Send(frames);
    }

    /// <summary>Waits for the worker to exit, failing loudly with its error output past <paramref name="patience"/>.</summary>
    public async Task<TimeSpan> WaitForExitAsync(TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await Process.WaitForExitAsync().WaitAsync(patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The worker process {Process.Id} was still running {patience.TotalSeconds:F0} s later. Its error output: {Stderr}");
        }

        // The timed wait does not wait for the redirected error output to be read to its end.
        Process.WaitForExit();
        return clock.Elapsed;
    }

    public void Dispose()
    {
        Data.Dispose();
        Control.Dispose();
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
