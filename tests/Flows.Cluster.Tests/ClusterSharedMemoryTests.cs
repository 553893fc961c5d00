using System.Diagnostics;
using Flows.Graph;
using Flows.Workers;

namespace Flows.Cluster.Tests;

/// <summary>
/// Large results fetched between workers of one machine go through shared memory (<see cref="SharedMemory"/>,
/// Linux): they arrive whole in their input positions, and no worker's shared-memory folder outlives the
/// worker, whether it is killed or its cluster disposed.
/// </summary>
public sealed class ClusterSharedMemoryTests
{
    private const int N = 1 << 19; // 2 MiB of ints, above SharedMemory.MinBytes
    private static readonly TimeSpan Patience = Scratch.Patience;

    [Fact]
    public async Task Large_results_fetched_from_another_worker_arrive_whole_and_leave_no_shared_memory_behind()
    {
        Assert.NotNull(SharedMemory.Root); // Linux, with /dev/shm
        var executor = await ClusterExecutor.StartLocalAsync(workers: 2);
        var pids = executor.WorkerProcesses.Values.ToList();
        var g = new TestGraph("cluster-shm");
        var a = g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(1));
        var b = g.Task(WorkerTasks.Big, g.Constant(N), g.Constant(2));
        var ab = g.Task(WorkerTasks.Pair, a, b);
        var ba = g.Task(WorkerTasks.Pair, b, a);
        var total = g.Task(WorkerTasks.AddLong, ab, ba);

        try
        {
            for (var i = 0; i < 3; i++)
            {
                var run = await FlowRunner.RunAsync<long>(g.Build(total), executor, []).WaitAsync(Patience);

                long ca = WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 1)), cb = WorkerTasks.ChecksumOf(WorkerTasks.BigArray(N, 2));
                Assert.Equal((3 * ca) + cb + (3 * cb) + ca, run.Result);
                Assert.NotEmpty(pids.SelectMany(FoldersOf)); // a worker that ran tasks has its folder
            }

            // Released results take their files with them (releases are one-way messages: awaited here).
            await WaitUntil(() => pids.SelectMany(FoldersOf).All(folder => Directory.GetFiles(folder).Length == 0));
        }
        finally
        {
            await executor.DisposeAsync();
        }

        Assert.All(pids, pid => Assert.Empty(FoldersOf(pid)));
    }

    [Fact]
    public async Task A_killed_workers_shared_memory_folder_is_removed_by_its_cluster()
    {
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 1);
        var pid = executor.WorkerProcesses.Values.Single();
        var g = new TestGraph("cluster-shm-kill");
        Assert.Equal(2, (await FlowRunner.RunAsync<int>(g.Build(g.Task(Tasks.Inc, g.Constant(1))), executor, []).WaitAsync(Patience)).Result);
        Assert.NotEmpty(FoldersOf(pid));

        Process.GetProcessById(pid).Kill();

        await WaitUntil(() => FoldersOf(pid).Length == 0);
    }

    private static string[] FoldersOf(int pid) => Directory.GetDirectories(SharedMemory.Root!, $"flows-shm-{pid}-*");

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"Not true within {Patience.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }
}
