using System.Buffers;
using System.Diagnostics;
using Flows.Cluster.Protocol;
using Flows.Graph;
using Flows.Logging;
using Flows.Workers;

namespace Flows.Cluster.Worker;

/// <summary>One request on a worker, from its inputs to its outcome.</summary>
internal sealed partial class RequestWork
{
    private readonly TaskHost _host;
    private readonly ClientOutbox _outbox;
    private readonly RunRequest _request;
    private readonly object?[] _values;
    private readonly bool[] _fetched;
    private long _bytesFetched;
    private long _started;
    private RecordBuffer? _log;
    private ConsoleCapture? _console;

    public RequestWork(TaskHost host, ClientOutbox outbox, RunRequest request)
    {
        _host = host;
        _outbox = outbox;
        _request = request;
        _values = new object?[request.Inputs.Length];
        _fetched = new bool[request.Inputs.Length];
        foreach (var input in request.Inputs)
        {
            if (input.Inline is null && input.Owner is { } owner && owner != host.Key)
            {
                NeedsFetch = true;
            }
        }
    }

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>The task's id, as the flow process named it.</summary>
    public string TaskId => _request.TaskId;

    /// <summary>The request's id (its wire id in the flow process).</summary>
    public long RequestId => _request.Id;

    private int _inSyncCode;
    private int _completed;

    /// <summary>The thread that runs (or last ran) the task's code; set by <see cref="TaskRunner"/>.</summary>
    public volatile ThreadSlot? Slot;

    /// <summary>Whether a worker thread is inside the task's code right now (not awaiting).</summary>
    public bool IsInSyncCode => Volatile.Read(ref _inSyncCode) != 0;

    /// <summary>Cancels the task; false if it already finished.</summary>
    public bool Cancel()
    {
        if (Volatile.Read(ref _completed) != 0)
        {
            return false;
        }

        try
        {
            Cancellation.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>The worker's resident memory when the task's code started (the memory monitor's last look).</summary>
    public long MemoryAtStart { get; private set; }

    /// <summary>Whether the task's code started.</summary>
    public bool HasStarted => _started != 0;

    /// <summary>The worker restarts for its memory while this task runs: it is reported with that cause.</summary>
    public void ReportMemoryExceeded(Memory.MemoryPolicy policy, long resident, bool outOfMemory)
    {
        // Code that watches its token stops growing; the process exits in a moment either way.
        Cancel();
        Complete(new TaskOutcome
        {
            RequestId = _request.Id,
            Kind = OutcomeKind.MemoryExceeded,
            MemoryLimit = policy.Limit,
            MemoryReached = resident,
            MemoryFraction = outOfMemory ? 1 : policy.Terminate,
            ErrorType = outOfMemory ? typeof(OutOfMemoryException).FullName : null,
            BytesFetched = _bytesFetched,
            RunMicroseconds = _started == 0 ? 0 : Stopwatch.GetElapsedTime(_started).TotalMicroseconds,
        });
    }

    /// <summary>Whether some input is kept on another worker.</summary>
    public bool NeedsFetch { get; }

    /// <summary>Fetches the inputs kept on other workers (one call per owner), then queues the task.</summary>
    public async Task FetchThenQueueAsync()
    {
        string? lost;
        try
        {
            lost = await FetchAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            lost = $"an input could not be fetched: {ex.GetType().Name}: {ex.Message}";
        }

        if (lost is not null)
        {
            Complete(new TaskOutcome { RequestId = _request.Id, Kind = OutcomeKind.InputLost, ErrorMessage = lost, BytesFetched = _bytesFetched });
            return;
        }

        _host.Runner.Enqueue(this);
    }

    /// <summary>Fetches in calls of at most this many (estimated) bytes, side by side, so that no message grows huge.</summary>
    private const long FetchChunkBytes = 8L << 20;

    private async Task<string?> FetchAsync()
    {
        var inputs = _request.Inputs;
        var calls = new List<Task<string?>>();
        var byOwner = new Dictionary<string, (List<int> Positions, long Bytes)>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].Inline is not null || inputs[i].Owner is not { } owner || owner == _host.Key)
            {
                continue;
            }

            if (byOwner.TryGetValue(owner, out var chunk) && chunk.Bytes + inputs[i].Size > FetchChunkBytes)
            {
                calls.Add(FetchFromAsync(owner, chunk.Positions));
                byOwner.Remove(owner);
            }

            if (!byOwner.TryGetValue(owner, out chunk))
            {
                chunk = ([], 0);
            }

            chunk.Positions.Add(i);
            byOwner[owner] = (chunk.Positions, chunk.Bytes + inputs[i].Size);
        }

        foreach (var (owner, chunk) in byOwner)
        {
            calls.Add(FetchFromAsync(owner, chunk.Positions));
        }

        foreach (var error in await Task.WhenAll(calls).ConfigureAwait(false))
        {
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private async Task<string?> FetchFromAsync(string owner, List<int> positions)
    {
        var inputs = _request.Inputs;
        var ids = new long[positions.Count];
        var producers = new string[positions.Count];
        for (var j = 0; j < ids.Length; j++)
        {
            ids[j] = inputs[positions[j]].ResultId;
            producers[j] = inputs[positions[j]].ProducerTaskId ?? string.Empty;
        }

        FetchedValue?[] fetched;
        var grain = _host.Grains.GetGrain<IWorkerGrain>(owner);
        try
        {
            fetched = await grain.FetchNear(_outbox.Client, ids, producers, SharedMemory.HostKey).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return $"worker {owner}, which holds an input, could not be reached ({ex.GetType().Name}: {ex.Message})";
        }

        for (var j = 0; j < ids.Length; j++)
        {
            var position = positions[j];
            if (fetched[j] is not { } value)
            {
                return $"worker {owner} no longer holds result {ids[j]}";
            }

            var producer = _host.Catalog.Find(producers[j]);
            if (producer?.Codec is not { } codec)
            {
                return $"this worker holds no task '{inputs[position].ProducerTaskId}' to read its result with";
            }

            if (value.Bytes is { } payload)
            {
                _values[position] = codec.ReadResult(payload);
                Interlocked.Add(ref _bytesFetched, payload.Length);
            }
            else
            {
                try
                {
                    _values[position] = SharedMemory.Read(value.Path ?? string.Empty, value.Length, $"Result {ids[j]} of task '{producer.Name}' on worker {owner}", bytes => codec.ReadResult(bytes));
                }
                catch (SharedMemoryException)
                {
                    // Not this machine's shared memory after all (another container with the same name?): the bytes, then.
                    var bytes = await grain.Fetch(_outbox.Client, [ids[j]]).ConfigureAwait(false);
                    if (bytes[0] is not { } again)
                    {
                        return $"worker {owner} no longer holds result {ids[j]}";
                    }

                    _values[position] = codec.ReadResult(again);
                }

                Interlocked.Add(ref _bytesFetched, value.Length);
            }

            _fetched[position] = true;
        }

        return null;
    }

    /// <summary>Runs the task on the calling thread (one of the worker's); an asynchronous task finishes later.</summary>
    public void Execute()
    {
        var token = Cancellation.Token;
        if (token.IsCancellationRequested)
        {
            Complete(Failure(new OperationCanceledException("The task was cancelled before it started on the worker.")));
            return;
        }

        var task = _host.Catalog.Find(_request.TaskId);
        if (task?.Codec is null)
        {
            // A refusal is a failure record of its own kind, like a process worker's.
            Complete(Failure(new WorkerRefusedException(task is null
                ? $"Worker {_host.Key} holds no task '{_request.TaskId}': the flow process and the workers run different builds."
                : $"Task '{_request.TaskId}' has no generated serializer, so it cannot run on a cluster (see FLOW101).")));
            return;
        }

        object? result;
        TaskOutput.Mark outer = default;
        ConsoleCapture? outerCapture = null;
        try
        {
            var inputs = _request.Inputs;
            for (var i = 0; i < inputs.Length; i++)
            {
                if (_fetched[i])
                {
                    continue;
                }

                if (inputs[i].Inline is { } bytes)
                {
                    _values[i] = task.Codec.ReadArgument(i, bytes);
                }
                else if (!_host.Results.TryGet(_outbox.Client, inputs[i].ResultId, out _values[i]))
                {
                    Complete(new TaskOutcome { RequestId = _request.Id, Kind = OutcomeKind.InputLost, ErrorMessage = $"worker {_host.Key} no longer holds result {inputs[i].ResultId}" });
                    return;
                }
            }

            if (_request.Store is { } asked && TryTakeCached(task, asked))
            {
                return;
            }

            _started = Stopwatch.GetTimestamp();
            MemoryAtStart = _host.Memory?.LastResident ?? 0;
            _outbox.NoteStarted(_request.Id);
            var arguments = TaskArguments.FromValues(_values);
            if (_request.LogMask != 0)
            {
                outerCapture = BindLogging(task, ref arguments);
            }

            Volatile.Write(ref _inSyncCode, 1);
            outer = TaskOutput.Enter(task.Name, task.IsAsync);
            result = TaskInvocation.Call(task, in arguments, token, this, Who);
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _inSyncCode, 0);
            Complete(Failure(ex));
            return;
        }
        finally
        {
            // The task's awaits keep the mark (it flows with them); this thread's next work does not.
            TaskOutput.Leave(outer);
            if (_console is not null)
            {
                ConsoleCapture.Leave(outerCapture);
            }
        }

        Volatile.Write(ref _inSyncCode, 0);

        if (!task.IsAsync)
        {
            Succeed(task, result);
            return;
        }

        var pending = (Task)result!;
        if (pending.IsCompleted)
        {
            FinishAsync(task, pending);
        }
        else
        {
            pending.ContinueWith(
                static (t, s) =>
                {
                    var (work, descriptor) = ((RequestWork, TaskDescriptor))s!;
                    work.FinishAsync(descriptor, t);
                },
                (this, task),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Binds the task's logger to one that keeps its records for the outcome, and captures its console
    /// output when the flow process asked for it. Returns the capture to put back.
    /// </summary>
    private ConsoleCapture? BindLogging(TaskDescriptor task, ref TaskArguments arguments)
    {
        _log = new RecordBuffer();
        var logger = new RemoteTaskLogger(_request.LogMask, _log);
        if (task.TakesLogger)
        {
            arguments = arguments.WithLogger(logger);
        }

        if (!logger.CapturesConsole)
        {
            return null;
        }

        _console = new ConsoleCapture(logger);
        return ConsoleCapture.Enter(_console);
    }

    /// <summary>The records of the request, kept until its outcome carries them (<see cref="TaskOutcome.Logs"/>).</summary>
    private sealed class RecordBuffer : ILogRecordSink
    {
        private readonly ArrayBufferWriter<byte> _records = new(256);

        public void Accept(ReadOnlySpan<byte> record)
        {
            lock (_records)
            {
                LogRecordCodec.AppendFramed(_records, record);
            }
        }

        /// <summary>The records so far, or null for none.</summary>
        public byte[]? Take()
        {
            lock (_records)
            {
                var bytes = _records.WrittenCount == 0 ? null : _records.WrittenSpan.ToArray();
                _records.Clear();
                return bytes;
            }
        }
    }

    private static readonly Func<RequestWork, string> Who = static w => $"Task '{w._request.TaskId}'";

    private void FinishAsync(TaskDescriptor task, Task completed)
    {
        if (TaskInvocation.TryRead(task, completed, this, Who, out var value, out var error))
        {
            Succeed(task, value);
        }
        else
        {
            Complete(Failure(error!));
        }
    }

    private void Succeed(TaskDescriptor task, object? result)
    {
        var micros = Stopwatch.GetElapsedTime(_started).TotalMicroseconds;
        if (_request.Store is null)
        {
            Report(task, result, micros, StoreUse.NotAsked, null);
        }
        else if (_store is null)
        {
            Report(task, result, micros, StoreUse.Failed, _storeError);
        }
        else
        {
            _ = KeepThenReportAsync(task, result, micros);
        }
    }

    /// <summary>Sends a success: the result's bytes, or the result kept here under its id.</summary>
    private void Report(TaskDescriptor task, object? result, double micros, StoreUse store, string? storeError)
    {
        if (_request.ReturnResult)
        {
            var buffer = new ArrayBufferWriter<byte>();
            try
            {
                task.Codec!.WriteResult(result, buffer);
            }
            catch (Exception ex)
            {
                Complete(Failure(ex));
                return;
            }

            Complete(new TaskOutcome
            {
                RequestId = _request.Id, Kind = OutcomeKind.Succeeded, Result = buffer.WrittenSpan.ToArray(),
                ResultSize = buffer.WrittenCount, BytesFetched = _bytesFetched, RunMicroseconds = micros,
                Store = store, StoreError = storeError,
            });
            return;
        }

        _host.Results.Put(_outbox.Client, _request.ResultId, result, task);
        Complete(new TaskOutcome
        {
            RequestId = _request.Id, Kind = OutcomeKind.Succeeded, ResultSize = SizeEstimate.Of(result),
            BytesFetched = _bytesFetched, RunMicroseconds = micros,
            Store = store, StoreError = storeError,
        });
    }

    private TaskOutcome Failure(Exception error)
    {
        if (error is OutOfMemoryException && _host.Memory is not null)
        {
            // The GC's hard limit is the worker's memory limit: the task could not allocate within it.
            _host.Terminate(Memory.ProcessMemory.Resident(), this, outOfMemory: true);
        }

        return FailureOf(error);
    }

    private TaskOutcome FailureOf(Exception error) =>
        TaskOutcome.Failure(_request.Id, FailureRecord.Of(error), _bytesFetched, _started == 0 ? 0 : Stopwatch.GetElapsedTime(_started).TotalMicroseconds);

    private void Complete(TaskOutcome outcome)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            // Already reported (the worker restarts for its memory while this task ran on).
            return;
        }

        if (_log is not null)
        {
            _console?.Complete();
            outcome.Logs = _log.Take();
        }

        _outbox.Running.TryRemove(_request.Id, out _);
        Cancellation.Dispose();
        _outbox.Add(outcome);
    }
}
