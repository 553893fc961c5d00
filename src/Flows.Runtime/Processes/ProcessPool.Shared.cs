using Flows.Graph;
using Flows.Workers;

namespace Flows.Processes;

/// <summary>
/// Results in shared memory (<see cref="SharedMemory"/>): a worker writes a large result to a file of
/// the pool's folder and answers with a <see cref="FrameKind.SharedResult"/>. A result that only tasks
/// read stays there (<see cref="SharedResult"/>) and goes on to its readers' workers by name in a
/// <see cref="FrameKind.RunInputs"/> frame; any other is decoded here, from the mapped file, which is
/// then deleted.
/// </summary>
internal sealed partial class ProcessPool
{
    private void TakeSharedResult(WorkerProcess worker, ProcessRequest request, long length)
    {
        var attempt = request.Attempt;
        if (SharedDirectory is not { } directory || length < 0)
        {
            attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName,
                $"worker process {worker.ProcessId} sent a malformed answer: a result in shared memory of {length} bytes, where this pool {(SharedDirectory is null ? "has no shared memory" : "expects a length")}"));
            throw new WorkerProtocolException($"a shared-memory result of {length} bytes");
        }

        var path = SharedResultFiles.PathOf(directory, worker.Id, request.Id);
        attempt.Traffic.Add(length);
        if (StaysShared(request))
        {
            var kept = new SharedResult(path, worker.Id, request.Id, length, attempt.Task);
            request.Run!.Keep(kept);
            attempt.Succeed(kept);
            return;
        }

        object? value;
        try
        {
            var codec = attempt.Task.Codec!;
            value = SharedMemory.Read(path, length, $"Flow '{attempt.FlowName}': the result of task '{attempt.TaskName}'", bytes => codec.ReadResult(bytes));
        }
        catch (Exception ex)
        {
            attempt.Fail(ex);
            return;
        }
        finally
        {
            SharedMemory.TryDelete(path);
        }

        attempt.Succeed(value);
    }

    /// <summary>
    /// Whether a result need not be decoded here: only tasks read it (the scheduler does not: no
    /// branch, map source, merge, item or flow output; no map or subflow, which pass it on to an unknown
    /// number of attempts), and no store checkpoints or caches it (a store serializes values itself).
    /// </summary>
    private static bool StaysShared(ProcessRequest request)
    {
        var attempt = request.Attempt;
        var use = attempt.ResultUse;
        return request.Run is not null && !use.ReadByRunner && !use.ReadByComposite && use.TaskReaders > 0 && attempt.Store is null;
    }

    /// <summary>
    /// The task index (defined on <paramref name="worker"/>) of each input's producer when the input is a
    /// result kept in shared memory, -1 for the others; null when no input is one (the plain Run frame).
    /// </summary>
    private int[]? DefineSharedProducers(WorkerProcess worker, TaskAttempt attempt)
    {
        var arguments = attempt.Arguments;
        int[]? producers = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] is SharedResult shared)
            {
                if (producers is null)
                {
                    producers = new int[arguments.Count];
                    Array.Fill(producers, -1);
                }

                producers[i] = EnsureDefined(worker, shared.Producer);
            }
        }

        return producers;
    }

    /// <summary>
    /// The inputs of a <see cref="FrameKind.RunInputs"/> frame: the count, then per input a kind byte and
    /// either (0) the length and bytes of <see cref="ITaskCodec.WriteArgument"/> or (1) the producer's task
    /// index, the worker and request that name the file, and the value's length.
    /// </summary>
    private static void WriteInputs(FrameBuffer outbox, TaskDescriptor task, in TaskArguments arguments, int[] producers)
    {
        outbox.WriteInt32(arguments.Count);
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = arguments[i];
            if (value is SharedResult shared)
            {
                outbox.WriteByte(1);
                outbox.WriteInt32(producers[i]);
                outbox.WriteInt32(shared.ProducerWorker);
                outbox.WriteInt64(shared.ProducerRequest);
                outbox.WriteInt64(shared.Length);
                continue;
            }

            outbox.WriteByte(0);
            var lengthAt = outbox.Length;
            outbox.WriteInt32(0);
            task.Codec!.WriteArgument(i, value, outbox);
            outbox.PatchInt32(lengthAt, outbox.Length - lengthAt - 4);
        }
    }
}
