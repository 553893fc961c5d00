using Flows.Graph;
using Flows.Workers;

namespace Flows.Processes;

/// <summary>The frames of the protocol: a request composed into its worker's outbox (with the assembly and task definitions it needs), a cancellation, and an answer read back into its attempt.</summary>
internal sealed partial class ProcessPool
{
    /// <summary>Composes the request's frames into the worker's outbox; false if it settled instead (run cancelled).</summary>
    private bool Dispatch(WorkerProcess worker, ProcessRequest request)
    {
        var attempt = request.Attempt;
        if (!request.Started)
        {
            if (!attempt.TryStart(out var started))
            {
                return false;
            }

            request.Started = true;
            request.Token = started;
        }

        var task = attempt.Task;
        var outbox = worker.Outbox;
        int taskIndex;
        try
        {
            taskIndex = EnsureDefined(worker, task);
        }
        catch (FlowDefinitionException ex)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Attempt.Fail(s.Error), (Attempt: attempt, Error: (Exception)ex), preferLocal: false);
            return false;
        }

        // Producers of inputs kept in shared memory are defined first: their frames must not land inside the Run frame.
        var producers = SharedDirectory is null ? null : DefineSharedProducers(worker, attempt);
        var frameStart = outbox.Length;
        outbox.BeginFrame(producers is null ? FrameKind.Run : FrameKind.RunInputs);
        outbox.WriteInt64(request.Id);
        outbox.WriteInt32(taskIndex);
        outbox.WriteByte(attempt.LogMask);
        try
        {
            if (producers is null)
            {
                task.Codec!.WriteArguments(attempt.Arguments, outbox);
            }
            else
            {
                WriteInputs(outbox, task, attempt.Arguments, producers);
            }
        }
        catch (Exception ex)
        {
            outbox.AbandonFrame();
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.Attempt.Fail(s.Error), (Attempt: attempt, Error: ex), preferLocal: false);
            return false;
        }

        outbox.EndFrame();
        request.FrameBytes = outbox.Length - frameStart;
        attempt.Traffic.Add(request.FrameBytes);
        worker.UnansweredBytes += request.FrameBytes;
        request.EstimateMicroseconds = EstimateOf(task);
        worker.QueuedMicroseconds += request.EstimateMicroseconds;
        worker.InFlight.Enqueue(request);
        if (request.Token.CanBeCanceled)
        {
            request.CancelRegistration = request.Token.UnsafeRegister(static s => ((ProcessPool)((object[])s!)[0]).SendCancel((ProcessRequest)((object[])s!)[1]), new object[] { this, request });
        }

        return true;
    }

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000",
        Justification = "An empty location (single-file app) is detected and refused with a message; workers must load the assembly from a file.")]
    private int EnsureDefined(WorkerProcess worker, TaskDescriptor task)
    {
        if (!_tasks.TryGetValue(task, out var taskIndex))
        {
            taskIndex = _tasks.Count;
            _tasks.Add(task, taskIndex);
        }

        if (worker.DefinedTasks.Contains(taskIndex))
        {
            return taskIndex;
        }

        var assembly = Workers.TaskAssemblies.DeclaringAssembly(task);
        if (string.IsNullOrEmpty(assembly.Location))
        {
            throw new FlowDefinitionException(
                $"Task '{task.Name}' lives in {assembly.GetName().Name}, which is not a file on disk (a single-file or in-memory assembly). " +
                "Worker processes load tasks from files: publish without PublishSingleFile to use a ProcessExecutor.");
        }

        if (!_assemblies.TryGetValue(assembly, out var assemblyIndex))
        {
            assemblyIndex = _assemblies.Count;
            _assemblies.Add(assembly, assemblyIndex);
        }

        var outbox = worker.Outbox;
        if (worker.LoadedAssemblies.Add(assemblyIndex))
        {
            outbox.BeginFrame(FrameKind.LoadAssembly);
            outbox.WriteInt32(assemblyIndex);
            outbox.WriteString(_options.AssemblyPathOverride ?? assembly.Location);
            outbox.WriteGuid(_options.BuildOverride ?? assembly.ManifestModule.ModuleVersionId);
            outbox.EndFrame();
        }

        outbox.BeginFrame(FrameKind.DefineTask);
        outbox.WriteInt32(taskIndex);
        outbox.WriteInt32(assemblyIndex);
        outbox.WriteString(task.Id);
        outbox.EndFrame();
        worker.DefinedTasks.Add(taskIndex);
        return taskIndex;
    }

    private void SendCancel(ProcessRequest request)
    {
        WorkerProcess? target = null;
        lock (_gate)
        {
            foreach (var worker in _workers)
            {
                if (!worker.IsDead && worker.InFlight.Contains(request))
                {
                    target = worker;
                    break;
                }
            }
        }

        if (target is null)
        {
            return;
        }

        var frame = new FrameBuffer(32);
        frame.BeginFrame(FrameKind.Cancel);
        frame.WriteInt64(request.Id);
        frame.EndFrame();
        try
        {
            target.Control.Send(frame);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // The worker is gone; its death is handled by its reader.
        }
    }

    /// <summary>
    /// Writes a record a task wrote in the worker to the run's logger factory, in its attempt's scope. The
    /// worker sends an attempt's records before its answer, on the same connection, so they are written
    /// before the attempt settles. A record of a request already answered (code the task left running)
    /// is dropped.
    /// </summary>
    private void RelayLog(WorkerProcess worker, Frame frame)
    {
        var payload = new PayloadReader(frame.Payload);
        var id = payload.ReadInt64();
        ProcessRequest? request = null;
        lock (_gate)
        {
            foreach (var inFlight in worker.InFlight)
            {
                if (inFlight.Id == id)
                {
                    request = inFlight;
                    break;
                }
            }
        }

        if (request is null)
        {
            return;
        }

        request.Attempt.Traffic.Add(WorkerProtocol.HeaderBytes + frame.Length);
        request.Attempt.RelayLogs(payload.Rest, framed: false, $"worker process {worker.ProcessId}");
    }

    private void Answer(WorkerProcess worker, Frame frame)
    {
        var payload = new PayloadReader(frame.Payload);
        var id = payload.ReadInt64();
        var ranMicroseconds = payload.ReadInt64();
        ProcessRequest request;
        List<WorkerProcess>? toFlush = null;
        lock (_gate)
        {
            if (!worker.InFlight.TryDequeue(out request!) || request.Id != id)
            {
                throw new WorkerProtocolException($"an answer to request {id}, which is not the oldest one in flight");
            }

            worker.UnansweredBytes -= request.FrameBytes;
            worker.QueuedMicroseconds -= request.EstimateMicroseconds;
            if (frame.Kind is FrameKind.Result or FrameKind.SharedResult)
            {
                request.Attempt.Task.RunTime.Note(ranMicroseconds);
            }

            if (Refill(worker))
            {
                toFlush = new List<WorkerProcess> { worker };
            }
        }

        Flush(toFlush);
        request.CancelRegistration.Dispose();
        var attempt = request.Attempt;
        attempt.Traffic.Add(WorkerProtocol.HeaderBytes + frame.Length);
        attempt.NoteCodeRan(ranMicroseconds);
        if (frame.Kind == FrameKind.SharedResult)
        {
            TakeSharedResult(worker, request, payload.ReadInt64());
            return;
        }

        if (frame.Kind == FrameKind.Result)
        {
            object? value;
            try
            {
                value = attempt.Task.Codec!.ReadResult(payload.Rest);
            }
            catch (Exception ex)
            {
                attempt.Fail(ex);
                return;
            }

            attempt.Succeed(value);
            return;
        }

        FailureRecord failure;
        try
        {
            var kind = (FailureKind)payload.ReadByte();
            if (kind is not (FailureKind.Failed or FailureKind.Cancelled or FailureKind.Refused))
            {
                throw new WorkerProtocolException($"a failure of unknown kind {(byte)kind}");
            }

            var message = payload.ReadString();
            var details = payload.ReadString();
            failure = new FailureRecord(kind, payload.ReadTypeChain(), message, details);
            if (payload.Rest.Length != 0)
            {
                throw new WorkerProtocolException($"{payload.Rest.Length} bytes after the end of a failure");
            }
        }
        catch (WorkerProtocolException ex)
        {
            // The request has left the worker's queue: it is settled here, then the worker dies for the bad frame.
            attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName, $"worker process {worker.ProcessId} sent a malformed answer: {ex.Message}"));
            throw;
        }

        attempt.Fail(failure.ToException(attempt.FlowName, attempt.TaskName));
    }
}
