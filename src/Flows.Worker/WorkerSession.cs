using System.Collections.Concurrent;
using System.Diagnostics;
using Flows.Graph;
using Flows.Logging;
using Flows.Processes;
using Flows.Workers;

namespace Flows.Worker;

/// <summary>
/// One worker's conversation with its flow process: tasks run one at a time, in the order they
/// arrive, on the thread that reads them; cancellations arrive on a second connection.
/// </summary>
internal sealed partial class WorkerSession
{
    private readonly FrameConnection _connection;
    private readonly FrameConnection _control;
    private readonly FrameBuffer _outbox = new();
    private readonly Dictionary<int, (ITaskRegistry? Registry, string? Error)> _assemblies = new();
    private readonly Dictionary<int, (TaskDescriptor? Task, string? Error)> _tasks = new();
    private readonly ConcurrentDictionary<long, bool> _cancelledBeforeStart = new();
    private readonly object _currentGate = new();

    /// <summary>
    /// A task's records are sent at once, from whatever thread it logs on (the connection serializes
    /// sends), so that they reach the flow process while the task runs and, being sent before its
    /// answer is composed, ahead of it. The gate guards the one frame buffer they are composed in.
    /// </summary>
    private readonly object _logGate = new();
    private readonly FrameBuffer _logFrame = new(512);

    /// <summary>
    /// Answers are sent at once when their task ran at least this long, or when this long has passed
    /// since the last send: a slow task's result travels as soon as it exists, while the answers of
    /// trivial tasks still go out many to a write.
    /// </summary>
    private static readonly long SendInterval = Stopwatch.Frequency / 1000;
    private long _lastSend = Stopwatch.GetTimestamp();
    private long _currentRequest = -1;
    private int _workerId;

    /// <summary>The pool's shared-memory folder (from the handshake), or null: every result travels in its frame.</summary>
    private string? _sharedDirectory;
    private long _lastStarted = -1;
    private CancellationTokenSource? _currentCancellation;
    private bool _ending;

    public WorkerSession(FrameConnection connection, FrameConnection control)
    {
        _connection = connection;
        _control = control;
    }

    /// <summary>
    /// Serves tasks on this thread, in the order they arrive, and sends the replies in one write
    /// whenever nothing more is waiting to be read or a millisecond has passed since the last write
    /// (so a task queued behind a slow one does not hold back its result). Cancellations are read on
    /// a second thread.
    /// </summary>
    public int Serve()
    {
        var cancellations = new Thread(ReceiveCancellations) { IsBackground = true, Name = "Flows worker cancellations" };
        cancellations.Start();
        try
        {
            while (_connection.TryReceive(out var frame))
            {
                Handle(frame);
                FrameConnection.Release(frame);
                if (_outbox.Length > 0 && (!_connection.HasBufferedFrame || Stopwatch.GetTimestamp() - _lastSend >= SendInterval))
                {
                    _connection.Send(_outbox);
                    _lastSend = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (Exception ex) when (ex is WorkerProtocolException or IOException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"Flows.Worker: {ex.Message}");
            return WorkerExitCode.TaskConnectionFailed;
        }
        finally
        {
            // From here the process ends on its own: the control connection closing is no news.
            Volatile.Write(ref _ending, true);
        }

        // The flow process closed the connection or died: a worker has no reason to outlive it, and
        // the results its pool kept in shared memory have no reader left (a pool being disposed deletes them too).
        SharedMemory.DeleteDirectory(_sharedDirectory);
        return WorkerExitCode.Closed;
    }

    /// <summary>
    /// Reads cancellations until the control connection ends. It ends only when the flow process
    /// is gone (it closes this connection after killing or releasing its workers), and the task
    /// connection cannot tell that while a task runs and others are queued behind it: so the worker
    /// exits here, at once, ending the task it runs. A malformed frame ends it too, since a
    /// cancellation may have been lost with it.
    /// </summary>
    private void ReceiveCancellations()
    {
        int code;
        string report;
        try
        {
            while (_control.TryReceive(out var frame))
            {
                if (frame.Kind != FrameKind.Cancel)
                {
                    throw new WorkerProtocolException($"a frame of kind {frame.Kind} on the control connection, which carries only cancellations");
                }

                Cancel(new PayloadReader(frame.Payload).ReadInt64());
            }

            code = WorkerExitCode.FlowProcessGone;
            report = "the flow process closed the control connection: it exited or was killed. Exiting now, ending the task running here and any queued behind it";
        }
        catch (WorkerProtocolException ex)
        {
            code = WorkerExitCode.ControlProtocolError;
            report = $"{ex.Message} (on the control connection, which carries cancellations). Exiting now: a cancellation may have been lost, and the flow process will report this worker's death";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            code = WorkerExitCode.FlowProcessGone;
            report = $"the control connection to the flow process failed ({ex.Message}): it exited or was killed. Exiting now, ending the task running here and any queued behind it";
        }

        if (Volatile.Read(ref _ending))
        {
            return;
        }

        Console.Error.WriteLine($"Flows.Worker: {report}");
        if (code == WorkerExitCode.FlowProcessGone)
        {
            // Nobody else is left to delete the pool's shared-memory files (a flow process killed with -9).
            SharedMemory.DeleteDirectory(_sharedDirectory);
        }

        Environment.Exit(code);
    }

    private void Cancel(long request)
    {
        lock (_currentGate)
        {
            if (_currentRequest == request)
            {
                _currentCancellation?.Cancel();
                return;
            }

            if (request <= _lastStarted)
            {
                // Already answered: nothing to cancel.
                return;
            }
        }

        _cancelledBeforeStart[request] = true;
    }

    private void Handle(Frame frame)
    {
        var payload = new PayloadReader(frame.Payload);
        switch (frame.Kind)
        {
            case FrameKind.Hello:
                var version = payload.ReadInt32();
                if (version == WorkerProtocol.Version)
                {
                    _workerId = payload.ReadInt32();
                    var shared = payload.ReadString();
                    _sharedDirectory = shared.Length == 0 ? null : shared;
                }

                _outbox.BeginFrame(FrameKind.HelloAck);
                _outbox.WriteInt32(WorkerProtocol.Version);
                _outbox.WriteInt32(Environment.ProcessId);
                _outbox.WriteString(version == WorkerProtocol.Version
                    ? string.Empty
                    : $"the worker speaks protocol {WorkerProtocol.Version}, the flow process {version}: both must use the same Flows build");
                _outbox.EndFrame();
                break;
            case FrameKind.LoadAssembly:
                var index = payload.ReadInt32();
                var path = payload.ReadString();
                var build = payload.ReadGuid();
                var loaded = LoadAssembly(path, build);
                _assemblies[index] = loaded;
                _outbox.BeginFrame(FrameKind.AssemblyLoaded);
                _outbox.WriteInt32(index);
                _outbox.WriteString(loaded.Error ?? string.Empty);
                _outbox.EndFrame();
                break;
            case FrameKind.DefineTask:
                var taskIndex = payload.ReadInt32();
                var assemblyIndex = payload.ReadInt32();
                var taskId = payload.ReadString();
                _tasks[taskIndex] = DefineTask(assemblyIndex, taskId);
                break;
            case FrameKind.Run:
                var request = payload.ReadInt64();
                var task = payload.ReadInt32();
                var logMask = payload.ReadByte();
                Run(request, task, logMask, payload.Rest, oneByOne: false);
                break;
            case FrameKind.RunInputs:
                var inputsRequest = payload.ReadInt64();
                var inputsTask = payload.ReadInt32();
                var inputsLogMask = payload.ReadByte();
                Run(inputsRequest, inputsTask, inputsLogMask, payload.Rest, oneByOne: true);
                break;
            default:
                throw new WorkerProtocolException($"an unexpected frame kind {frame.Kind}");
        }
    }

    private static (ITaskRegistry? Registry, string? Error) LoadAssembly(string path, Guid build)
    {
        var (registry, _, error) = Flows.Workers.TaskAssemblies.Load(path, build);
        return (registry, error);
    }

    private (TaskDescriptor? Task, string? Error) DefineTask(int assemblyIndex, string taskId)
    {
        if (!_assemblies.TryGetValue(assemblyIndex, out var assembly) || assembly.Registry is null)
        {
            return (null, assembly.Error ?? $"assembly {assemblyIndex} was never loaded");
        }

        var task = assembly.Registry.Find(taskId);
        if (task is null)
        {
            return (null, $"the worker's build has no task '{taskId}'");
        }

        return task.Codec is null
            ? (null, $"task '{taskId}' has no generated serializer for its inputs or result, so it cannot run in a worker process")
            : (task, null);
    }

    private void Run(long request, int taskIndex, byte logMask, ReadOnlySpan<byte> argumentBytes, bool oneByOne)
    {
        if (_cancelledBeforeStart.TryRemove(request, out _))
        {
            WriteFailure(request, new OperationCanceledException("The run was cancelled before this task started in the worker."), 0);
            return;
        }

        if (!_tasks.TryGetValue(taskIndex, out var defined) || defined.Task is null)
        {
            WriteFailure(request, new WorkerRefusedException(defined.Error ?? $"task {taskIndex} was never defined"), 0);
            return;
        }

        var task = defined.Task;
        var codec = task.Codec!;
        using var cancellation = new CancellationTokenSource();
        lock (_currentGate)
        {
            _currentRequest = request;
            _lastStarted = Math.Max(_lastStarted, request);
            _currentCancellation = cancellation;
        }

        long started = 0;
        var outer = TaskOutput.Enter(task.Name, task.IsAsync);
        var logger = logMask == 0 ? null : new RemoteTaskLogger(logMask, new RequestLog(this, request));
        var console = logger is { CapturesConsole: true } ? new ConsoleCapture(logger) : null;
        var outerCapture = console is null ? null : ConsoleCapture.Enter(console);
        try
        {
            var arguments = oneByOne ? ReadInputs(task, argumentBytes) : codec.ReadArguments(argumentBytes);
            if (logger is not null && task.TakesLogger)
            {
                arguments = arguments.WithLogger(logger);
            }

            started = Stopwatch.GetTimestamp();
            var result = TaskInvocation.Call(task, in arguments, cancellation.Token, task, Who);
            if (task.IsAsync)
            {
                // One task at a time here: the worker waits for it.
                result = TaskInvocation.Wait(task, (Task)result!, task, Who);
            }

            var ran = Microseconds(started);
            EndCapture(console, outerCapture);
            _outbox.BeginFrame(FrameKind.Result);
            _outbox.WriteInt64(request);
            _outbox.WriteInt64(ran);
            var valueStart = _outbox.Length;
            codec.WriteResult(result, _outbox);
            MoveToSharedMemory(request, valueStart);
            _outbox.EndFrame();
        }
        catch (Exception ex)
        {
            _outbox.AbandonFrame();
            EndCapture(console, outerCapture);
            WriteFailure(request, ex, started == 0 ? 0 : Microseconds(started));
        }
        finally
        {
            TaskOutput.Leave(outer);
            if (console is not null)
            {
                ConsoleCapture.Leave(outerCapture);
            }
            lock (_currentGate)
            {
                _currentRequest = -1;
                _currentCancellation = null;
            }
        }
    }

    /// <summary>Sends the task's unfinished console line, before its answer.</summary>
    private static void EndCapture(ConsoleCapture? console, ConsoleCapture? outer)
    {
        if (console is not null)
        {
            console.Complete();
            ConsoleCapture.Leave(outer);
        }
    }

    /// <summary>Sends one record of <paramref name="request"/> at once, as a <see cref="FrameKind.Log"/> frame.</summary>
    private void SendLog(long request, ReadOnlySpan<byte> record)
    {
        lock (_logGate)
        {
            _logFrame.Clear();
            _logFrame.BeginFrame(FrameKind.Log);
            _logFrame.WriteInt64(request);
            _logFrame.WriteBytes(record);
            _logFrame.EndFrame();
            try
            {
                _connection.Send(_logFrame);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // The flow process is gone: the reading thread finds out and ends the worker; the task's log call must not fail.
            }
        }
    }

    /// <summary>The records of one request, sent by its session.</summary>
    private sealed class RequestLog(WorkerSession session, long request) : ILogRecordSink
    {
        public void Accept(ReadOnlySpan<byte> record) => session.SendLog(request, record);
    }

    private static readonly Func<TaskDescriptor, string> Who = static t => $"Task '{t.Name}'";

    /// <summary>How long the task's code ran, in whole microseconds (what answers carry).</summary>
    private static long Microseconds(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;

    private void WriteFailure(long request, Exception error, long ranMicroseconds)
    {
        var failure = FailureRecord.Of(error);
        _outbox.BeginFrame(FrameKind.Failure);
        _outbox.WriteInt64(request);
        _outbox.WriteInt64(ranMicroseconds);
        _outbox.WriteByte((byte)failure.Kind);
        _outbox.WriteString(failure.Message);
        _outbox.WriteString(failure.Details);
        _outbox.WriteInt32(failure.TypeChain.Count);
        foreach (var name in failure.TypeChain)
        {
            _outbox.WriteString(name);
        }
        _outbox.EndFrame();
    }
}
