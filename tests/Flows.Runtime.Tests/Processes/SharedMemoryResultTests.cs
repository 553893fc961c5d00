using System.Diagnostics;
using Flows.Graph;
using Flows.Workers;

namespace Flows.Runtime.Tests;

/// <summary>
/// Large results between worker processes through shared memory (<see cref="SharedMemory"/>, Linux):
/// contents arrive whole, a result only tasks read is never decoded in the flow process and is read by
/// every reader, one the flow reads is decoded, a worker killed while it holds one loses nothing, a file
/// gone is a clear error, and no file outlives its run, its executor or a dead flow process.
/// </summary>
/// <remarks>Not run in parallel with other classes: <see cref="CountingCodec.ResultsRead"/> counts for the whole process.</remarks>
[Collection(nameof(SharedMemoryResultTests))]
public sealed class SharedMemoryResultTests : IAsyncLifetime
{
    private const int N = 1 << 20; // 4 MiB of ints, well above SharedMemory.MinBytes
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ProcessExecutor _executor = new(numWorkers: 2);
    private readonly string _scratch = Directory.CreateTempSubdirectory("flows-shm-tests-").FullName;

    public Task InitializeAsync() => _executor.StartAsync().WaitAsync(Patience);

    public Task DisposeAsync()
    {
        _executor.Dispose();
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }

    private string Shared => _executor.SharedMemoryDirectory ?? throw new InvalidOperationException("This machine has no /dev/shm: these tests need Linux.");

    [Fact]
    public async Task A_large_result_only_a_task_reads_reaches_it_whole_without_being_decoded_in_the_flow_process()
    {
        var g = new TestGraph("shm-forward");
        var checksum = g.Task(WorkerTasks.Checksum, g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(7)));
        var decodedBefore = CountingCodec.ResultsRead;

        var run = await FlowRunner.RunAsync<long>(g.Build(checksum), _executor, []).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 7)), run.Result);
        Assert.Equal(1, CountingCodec.ResultsRead - decodedBefore); // the checksum, which the flow returns; never the array
        Assert.True(run.BytesMoved >= 4L * N, $"{run.BytesMoved} bytes moved");
        Assert.Empty(Directory.GetFiles(Shared));
    }

    [Fact]
    public async Task A_large_result_the_flow_returns_is_decoded_from_shared_memory_and_its_file_deleted()
    {
        var g = new TestGraph("shm-output");
        var big = g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(3));

        var run = await FlowRunner.RunAsync<int[]>(g.Build(big), _executor, []).WaitAsync(Patience);

        Assert.Equal(WorkerTasks.BigArray(N, 3), run.Result);
        Assert.Empty(Directory.GetFiles(Shared));
    }

    [Fact]
    public async Task A_result_in_shared_memory_is_read_whole_by_several_readers_in_their_input_positions()
    {
        var g = new TestGraph("shm-readers");
        var a = g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(1));
        var b = g.Task(WorkerTasks.Big, g.Constant(N / 2), g.Constant(2));
        var first = g.Task(WorkerTasks.Checksum, a);
        var ab = g.Task(WorkerTasks.Pair, a, b);
        var ba = g.Task(WorkerTasks.Pair, b, a);
        var total = g.Task(WorkerTasks.AddLong, g.Task(WorkerTasks.AddLong, first, ab), ba);
        var decodedBefore = CountingCodec.ResultsRead;

        var run = await FlowRunner.RunAsync<long>(g.Build(total), _executor, []).WaitAsync(Patience);

        long ca = WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 1)), cb = WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N / 2, 2));
        Assert.Equal(ca + (3 * ca) + cb + (3 * cb) + ca, run.Result);
        Assert.Equal(3, CountingCodec.ResultsRead - decodedBefore); // the three checksums (longs) only
        Assert.Empty(Directory.GetFiles(Shared));
    }

    [Fact]
    public async Task A_worker_killed_while_it_holds_an_input_from_shared_memory_is_retried_and_the_value_is_still_there()
    {
        var g = new TestGraph("shm-kill-reader");
        var checksum = g.Task(WorkerTasks.ChecksumAfterFile, g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(5)), g.Constant(_scratch));
        var running = FlowRunner.RunAsync<long>(g.Build(checksum), _executor, []);

        var running1 = await WaitForFile("running.*");
        File.Delete(running1);
        Process.GetProcessById(int.Parse(Path.GetExtension(running1).TrimStart('.'), System.Globalization.CultureInfo.InvariantCulture)).Kill();
        await WaitForFile("running.*"); // the retry, on a fresh worker
        File.WriteAllText(Path.Combine(_scratch, "go"), string.Empty);
        var run = await running.WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(2, run.Tasks.Single(t => t.Name == "ChecksumAfterFile").Attempts);
        Assert.Equal(WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 5)), run.Result);
        Assert.Empty(Directory.GetFiles(Shared));
    }

    [Fact]
    public async Task An_input_whose_shared_memory_file_is_gone_fails_its_reader_with_what_happened()
    {
        // Big finishes first; while WaitForFile holds the reader back, its input's file is deleted.
        var g = new TestGraph("shm-gone");
        var big = g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(9));
        var gate = g.Task(WorkerTasks.WaitForFile, g.Constant(_scratch));
        var reader = g.Task(WorkerTasks.ChecksumAfter, big, gate);
        var running = FlowRunner.RunAsync<long>(g.Build(reader), _executor, []);

        var file = await WaitFor(() => Directory.GetFiles(Shared).FirstOrDefault());
        await WaitForFile("running.*");
        File.Delete(file);
        File.WriteAllText(Path.Combine(_scratch, "go"), string.Empty);
        var run = await running.WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        var error = Assert.IsType<RemoteTaskException>(run.Tasks.Single(t => t.Name == "ChecksumAfter").Exception);
        Assert.Equal(typeof(SharedMemoryException).FullName, error.RemoteType);
        Assert.Contains("the result of task 'Big'", error.Message);
        Assert.Contains("is gone", error.Message);
    }

    [Fact]
    public async Task Disposing_the_executor_deletes_its_shared_memory_folder_with_what_a_run_left()
    {
        var executor = new ProcessExecutor(numWorkers: 1);
        await executor.StartAsync().WaitAsync(Patience);
        var folder = executor.SharedMemoryDirectory!;
        var g = new TestGraph("shm-dispose");
        var checksum = g.Task(WorkerTasks.Checksum, g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(4)));
        Assert.Equal(WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 4)), (await FlowRunner.RunAsync<long>(g.Build(checksum), executor, []).WaitAsync(Patience)).Result);
        File.WriteAllBytes(Path.Combine(folder, "w1-r999999"), new byte[16]); // as if a run had not ended

        executor.Dispose();

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_pool_that_starts_removes_the_shared_memory_folders_of_flow_processes_that_no_longer_run()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync().WaitAsync(Patience);
        var stale = Path.Combine(SharedMemory.Root!, $"flows-shm-{gone.Id}-test{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(stale, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllBytes(Path.Combine(stale, "w1-r1"), new byte[16]);

        using var executor = new ProcessExecutor(numWorkers: 1);
        await executor.StartAsync().WaitAsync(Patience);

        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(Shared));
    }

    [Fact]
    public async Task Without_shared_memory_large_results_travel_in_frames_and_arrive_whole()
    {
        using var executor = new ProcessExecutor(numWorkers: 2, new ProcessExecutorOptions { UseSharedMemory = false });
        var g = new TestGraph("shm-off");
        var pair = g.Task(WorkerTasks.Pair, g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(1)), g.Task(WorkerTasks.Big, g.Constant(10), g.Constant(2)));

        var run = await FlowRunner.RunAsync<long>(g.Build(pair), executor, []).WaitAsync(Patience);

        Assert.Null(executor.SharedMemoryDirectory);
        Assert.Equal((3 * WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 1))) + WorkerTasks.ChecksumOf(WorkerTasks.BigArray(10, 2)), run.Result);
    }

    private Task<string> WaitForFile(string pattern) => WaitFor(() => Directory.GetFiles(_scratch, pattern).FirstOrDefault());

    private static async Task<string> WaitFor(Func<string?> probe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }

            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"Nothing appeared within {Patience.TotalSeconds} s.");
            }

            await Task.Delay(10);
        }
    }
}

/// <summary>The bytes of a shared-memory file are checked before they are decoded.</summary>
public sealed class SharedMemoryFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-shm-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Bytes_written_are_read_back_in_place()
    {
        var path = Path.Combine(_folder, "v");
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        SharedMemory.Write(path, bytes);

        var read = SharedMemory.Read(path, bytes.Length, "the value", span => span.ToArray());

        Assert.Equal(bytes, read);
    }

    [Fact]
    public void A_file_shorter_than_announced_is_refused_naming_the_value_and_both_lengths()
    {
        var path = Path.Combine(_folder, "short");
        SharedMemory.Write(path, new byte[100]);

        var error = Assert.Throws<SharedMemoryException>(() => SharedMemory.Read(path, 4096, "Input 0 of task 'Sum'", _ => null));

        Assert.Contains("Input 0 of task 'Sum'", error.Message);
        Assert.Contains("holds 100 bytes where 4096 were written", error.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_saying_it_is_gone()
    {
        var error = Assert.Throws<SharedMemoryException>(() => SharedMemory.Read(Path.Combine(_folder, "none"), 10, "the result of task 'Big'", _ => null));

        Assert.Contains("the result of task 'Big'", error.Message);
        Assert.Contains("is gone", error.Message);
    }

    [Fact]
    public void Malformed_bytes_fail_in_the_codec_as_a_serialization_error()
    {
        var path = Path.Combine(_folder, "bad");
        SharedMemory.Write(path, [99, 1, 2, 3]);
        var codec = new SimpleCodec(typeof(int[]));

        Assert.Throws<FlowSerializationException>(() => SharedMemory.Read(path, 4, "the value", bytes => codec.ReadResult(bytes)));
    }

    [Fact]
    public void A_file_that_exists_already_is_not_overwritten()
    {
        var path = Path.Combine(_folder, "twice");
        SharedMemory.Write(path, [1]);

        Assert.Throws<IOException>(() => SharedMemory.Write(path, [2, 3]));
        Assert.Equal([1], File.ReadAllBytes(path)); // the file that was there is left as it was
    }
}
