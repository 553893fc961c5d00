using System.Buffers;
using Flows.Graph;

namespace Flows.Serialization.Tests;

/// <summary>
/// A task runs from bytes to bytes the way a worker process will run it: find the descriptor by id,
/// read the arguments, invoke, await, write the result; the caller reads it back.
/// </summary>
public sealed class WorkerPathTests
{
    [Fact]
    public async Task A_synchronous_task_runs_from_argument_bytes_to_result_bytes()
    {
        var result = await RunLikeAWorker("Flows.Serialization.Tests.Shipping.Add", 40, "ab", Color.Blue);

        Assert.Equal(44, result);
    }

    [Fact]
    public async Task An_asynchronous_task_writes_its_awaited_value()
    {
        var result = await RunLikeAWorker("Flows.Serialization.Tests.Shipping.MakePoint", 3, 4);

        Assert.Equal(new Point(3, 4), result);
    }

    [Fact]
    public async Task A_task_that_returns_nothing_writes_an_empty_result()
    {
        var result = await RunLikeAWorker("Flows.Serialization.Tests.Shipping.Wait");

        Assert.Null(result);
    }

    private static async Task<object?> RunLikeAWorker(string taskId, params object?[] inputs)
    {
        // Caller side.
        var task = Codecs.Registry.Find(taskId)!;
        var request = new ArrayBufferWriter<byte>();
        task.Codec!.WriteArguments(TaskArguments.FromValues(inputs), request);

        // Worker side: only the id and the bytes.
        var worker = Codecs.Registry.Find(taskId)!;
        var arguments = worker.Codec!.ReadArguments(request.WrittenSpan);
        var value = worker.Invoke(arguments, CancellationToken.None);
        if (worker.IsAsync)
        {
            var pending = (Task)value!;
            await pending;
            value = worker.AsyncResult!(pending);
        }

        var response = new ArrayBufferWriter<byte>();
        worker.Codec.WriteResult(value, response);

        // Caller side again.
        return task.Codec.ReadResult(response.WrittenSpan);
    }
}
