using System.Net.Sockets;
using Flows.Workers;

namespace Flows.Processes;

/// <summary>
/// One worker process as the flow process sees it: the child process, its connection, the frames
/// waiting to be sent, and the requests it has been given, in the order it will answer them.
/// </summary>
/// <remarks>The pool's lock guards <see cref="InFlight"/>, the outbox and the load tables.</remarks>
internal sealed class WorkerProcess : IDisposable
{

    private readonly LaunchedWorker _host;
    private FrameBuffer _outbox = new();
    private FrameBuffer _sending = new();
    private bool _flushing;

    private WorkerProcess(int id, LaunchedWorker host, FrameConnection connection, FrameConnection control)
    {
        _host = host;
        Control = control;
        Id = id;
        ProcessId = host.ProcessId;
        Connection = connection;
    }

    public int Id { get; }

    public int ProcessId { get; }

    /// <summary>Tasks out, results back, in order.</summary>
    public FrameConnection Connection { get; }

    /// <summary>Cancellations, which must reach the worker while it is busy with a task.</summary>
    public FrameConnection Control { get; }

    /// <summary>Requests sent and not answered, oldest first: the head is the one running.</summary>
    public Queue<ProcessRequest> InFlight { get; } = new();

    public HashSet<int> LoadedAssemblies { get; } = new();

    public HashSet<int> DefinedTasks { get; } = new();

    public bool IsDead { get; set; }

    /// <summary>Bytes of requests sent and not answered: an upper bound of what the worker has not read.</summary>
    public long UnansweredBytes { get; set; }

    /// <summary>The estimated run time of the requests in flight here, in microseconds.</summary>
    public double QueuedMicroseconds { get; set; }

    /// <summary>The outbox to compose frames into (under the pool's lock).</summary>
    public FrameBuffer Outbox => _outbox;

    public static async Task<WorkerProcess> StartAsync(int id, WorkerHostLaunch launch, string socketDirectory, string? sharedDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socketPath = Path.Combine(socketDirectory, $"w{id}.sock");
        File.Delete(socketPath);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(2);

        var start = launch.CreateStartInfo(WorkerHostLaunch.WorkerGcSettings);
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(socketPath);

        // Everything the worker writes (a task's console output, marked with the task, or a crash
        // report) stays visible in this process; its error output is also kept for crash causes.
        var host = new LaunchedWorker(start, $"flows worker {id}", forwardEverything: true);

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        Socket socket;
        Socket controlSocket;
        try
        {
            // The worker connects twice, in this order: tasks, then cancellations.
            socket = await AcceptAsync(listener, host, limit.Token).ConfigureAwait(false);
            controlSocket = await AcceptAsync(listener, host, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new TimeoutException($"The worker process did not connect within {timeout.TotalSeconds:F0} s ({launch.CommandLine}). Its error output: {host.ErrorOutput.TextOrNone}");
        }
        catch
        {
            // Cancelled (the executor is being disposed) or failed: leave no process behind.
            host.Dispose();
            throw;
        }
        finally
        {
            File.Delete(socketPath);
        }

        WorkerProcess? created = null;

        // Latency-bound (one task in flight, as in a chain): poll before blocking; otherwise block.
        var connection = new FrameConnection(socket, spinBeforeBlocking: () => created?.InFlight.Count == 1);
        var worker = new WorkerProcess(id, host, connection, new FrameConnection(controlSocket));
        created = worker;

        var hello = new FrameBuffer();
        hello.BeginFrame(FrameKind.Hello);
        hello.WriteInt32(WorkerProtocol.Version);
        hello.WriteInt32(id);
        hello.WriteString(sharedDirectory ?? string.Empty);
        hello.EndFrame();
        connection.Send(hello);
        if (!connection.TryReceive(out var ack) || ack.Kind != FrameKind.HelloAck)
        {
            worker.Dispose();
            throw new InvalidOperationException($"The worker process did not answer the handshake. Its error output: {host.ErrorOutput.Text}");
        }

        var reader = new PayloadReader(ack.Payload);
        reader.ReadInt32();
        reader.ReadInt32();
        var refusal = reader.ReadString();
        if (refusal.Length > 0)
        {
            worker.Dispose();
            throw new InvalidOperationException($"The worker process refused the handshake: {refusal}.");
        }

        return worker;
    }

    private static async Task<Socket> AcceptAsync(Socket listener, LaunchedWorker host, CancellationToken cancellationToken)
    {
        var accepting = listener.AcceptAsync(cancellationToken).AsTask();
        var exited = host.Exited.WaitAsync(cancellationToken);
        if (await Task.WhenAny(accepting, exited).ConfigureAwait(false) != accepting)
        {
            await exited.ConfigureAwait(false);
            throw new InvalidOperationException($"The worker process exited with code {host.ExitCode} before it connected. Its error output: {host.ErrorOutput.TextOrNone}");
        }

        return await accepting.ConfigureAwait(false);
    }

    /// <summary>
    /// Takes the composed frames for sending, unless another thread is already sending this
    /// worker's frames (it will pick these up). Call under the pool's lock; send outside it.
    /// </summary>
    public FrameBuffer? TakeOutboxForSending()
    {
        if (_flushing || _outbox.Length == 0)
        {
            return null;
        }

        _flushing = true;
        (_outbox, _sending) = (_sending, _outbox);
        return _sending;
    }

    /// <summary>Marks a send done; returns true when more frames were composed meanwhile.</summary>
    public bool FinishSending()
    {
        _sending.Clear();
        _flushing = false;
        return _outbox.Length > 0;
    }

    /// <summary>Describes how the process ended, once it has (waiting a little for its exit).</summary>
    public string DescribeDeath() => _host.DescribeExit(TimeSpan.FromSeconds(5));

    /// <summary>A plain kill: its tasks start no processes of their own.</summary>
    public void Kill() => _host.Kill();

    public void Dispose()
    {
        IsDead = true;

        // Killed first: a worker that saw its connections close first would report its flow process gone.
        _host.Kill();
        Connection.Dispose();
        Control.Dispose();
        _host.Dispose();
    }
}
