using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// A chain of maps on worker processes hands each large intermediate result on through shared memory,
/// and deletes its file as soon as the next stage has read it: a long chain of large values holds only
/// about its window's worth of files in /dev/shm (which is memory), not every element's until the run ends.
/// </summary>
[Collection(nameof(SharedMemoryResultTests))] // CountingCodec counts for the whole process
public sealed class SharedMemoryChainTests : IAsyncLifetime
{
    private const int Elements = 40;
    private const int N = 1 << 18; // 1 MiB of ints per element, above SharedMemory.MinBytes
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly ProcessExecutor _executor = new(numWorkers: 2);

    public Task InitializeAsync() => _executor.StartAsync().WaitAsync(Patience);

    public Task DisposeAsync()
    {
        _executor.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_chain_deletes_each_intermediate_file_once_the_next_stage_read_it()
    {
        var shared = _executor.SharedMemoryDirectory ?? throw new InvalidOperationException("This machine has no /dev/shm: this test needs Linux.");
        var sizes = Enumerable.Range(0, Elements).Select(i => N + i).ToArray();
        var g = new TestGraph("shm-chain", "sizes");
        var big = g.Map(WorkerTasks.Big, MapAdapter<int, int[]>.Instance, g.P(0), g.Constant(5));
        var seen = g.ChainedMap(WorkerTasks.SharedFilesSeen, MapAdapter<int[], long>.Instance, big, g.Constant(shared));

        var run = await FlowRunner.RunAsync<long[]>(g.Build(seen), _executor, [sizes], new FlowRunOptions { MapChainWindow = 2 }).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.All(run.Result, files => Assert.True(files >= 1, $"a reader saw {files} files: its input did not come through shared memory whole"));

        // Each reader sees the files of the (at most two) elements in flight, plus one a producer may be writing.
        Assert.True(run.Result.Max() <= 3, $"readers saw up to {run.Result.Max()} intermediate files in {shared} at once ({string.Join(", ", run.Result)}); a chain of window 2 should hold 2");
        Assert.Empty(Directory.GetFiles(shared));
    }
}
