using Flows.Graph;
using Flows.Processes;
using Flows.Workers;

namespace Flows.Worker;

/// <summary>
/// Values in shared memory (<see cref="SharedMemory"/>): a large result is written to a file of the
/// pool's folder instead of its frame, and a <see cref="FrameKind.RunInputs"/> frame names the files
/// of inputs that other workers wrote, which are mapped and decoded in place.
/// </summary>
internal sealed partial class WorkerSession
{
    /// <summary>
    /// Moves the result just written into the frame being composed (from <paramref name="valueStart"/>)
    /// to a shared-memory file when it is large, and makes the frame a <see cref="FrameKind.SharedResult"/>
    /// that gives its length. If the file cannot be written (the shared memory is full), the value stays in the frame.
    /// </summary>
    private void MoveToSharedMemory(long request, int valueStart)
    {
        var length = _outbox.Length - valueStart;
        if (_sharedDirectory is null || length < SharedMemory.MinBytes)
        {
            return;
        }

        try
        {
            SharedMemory.Write(SharedResultFiles.PathOf(_sharedDirectory, _workerId, request), _outbox.WrittenSpan[valueStart..]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        _outbox.Truncate(valueStart);
        _outbox.SetFrameKind(FrameKind.SharedResult);
        _outbox.WriteInt64(length);
    }

    /// <summary>Reads the inputs of a <see cref="FrameKind.RunInputs"/> frame (see <c>ProcessPool.WriteInputs</c>).</summary>
    private TaskArguments ReadInputs(TaskDescriptor task, ReadOnlySpan<byte> bytes)
    {
        var payload = new PayloadReader(bytes);
        var count = payload.ReadInt32();
        if (count < 0 || count > bytes.Length)
        {
            throw new WorkerProtocolException($"{count} inputs in a {bytes.Length}-byte frame");
        }

        var values = new object?[count];
        for (var i = 0; i < count; i++)
        {
            var kind = payload.ReadByte();
            if (kind == 0)
            {
                var length = payload.ReadInt32();
                values[i] = task.Codec!.ReadArgument(i, payload.ReadBytes(length));
                continue;
            }

            if (kind != 1)
            {
                throw new WorkerProtocolException($"an input of unknown kind {kind}");
            }

            var producerIndex = payload.ReadInt32();
            var worker = payload.ReadInt32();
            var producerRequest = payload.ReadInt64();
            var size = payload.ReadInt64();
            values[i] = ReadShared(task, i, producerIndex, worker, producerRequest, size);
        }

        if (payload.Rest.Length != 0)
        {
            throw new WorkerProtocolException($"{payload.Rest.Length} bytes after the inputs");
        }

        return TaskArguments.FromValues(values);
    }

    private object? ReadShared(TaskDescriptor task, int position, int producerIndex, int worker, long producerRequest, long length)
    {
        if (!_tasks.TryGetValue(producerIndex, out var defined) || defined.Task is not { } producer)
        {
            throw new WorkerRefusedException(defined.Error ?? $"task {producerIndex}, whose result is input {position} of task '{task.Name}', was never defined");
        }

        if (_sharedDirectory is null)
        {
            throw new WorkerProtocolException("an input in shared memory, which this pool did not set up");
        }

        var path = SharedResultFiles.PathOf(_sharedDirectory, worker, producerRequest);
        var codec = producer.Codec!;
        return SharedMemory.Read(path, length, $"Input {position} of task '{task.Name}', the result of task '{producer.Name}',", bytes => codec.ReadResult(bytes));
    }
}
