using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// What a chain of maps keeps alive on in-process executors: the head's results are collected once the
/// next stage has read them, so the number alive at once is bounded by the window, not the element count.
/// </summary>
public sealed class MapChainMemoryTests
{
    private const int Count = 40;
    private const int Window = 4;

    /// <summary>Runs Make → Grow → Weigh over <see cref="Count"/> items; returns the most Make blocks alive when a Weigh ran.</summary>
    private static async Task<int> MostAlive(FlowExecutor executor, int window)
    {
        var made = new List<WeakReference<byte[]>>();
        var mostAlive = 0;
        var make = Tasks.Sync("Make", (a, _) =>
        {
            var block = new byte[4096];
            block[0] = (byte)a.Get<int>(0);
            lock (made)
            {
                made.Add(new WeakReference<byte[]>(block));
            }

            return block;
        });
        var grow = Tasks.Sync("Grow", (a, _) => a.Get<byte[]>(0).Select(b => (byte)(b + 1)).ToArray());
        var weigh = Tasks.Sync("Weigh", (a, _) =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            lock (made)
            {
                mostAlive = Math.Max(mostAlive, made.Count(w => w.TryGetTarget(out byte[]? target)));
            }

            return (long)a.Get<byte[]>(0)[0];
        });
        var g = new TestGraph("memory", "xs");
        var m = g.Map(make, MapAdapter<int, byte[]>.Instance, g.P(0));
        var gr = g.ChainedMap(grow, MapAdapter<byte[], byte[]>.Instance, m);
        var w = g.ChainedMap(weigh, MapAdapter<byte[], long>.Instance, gr);
        var run = await FlowRunner.RunAsync<long[]>(g.Build(w), executor, [Enumerable.Range(0, Count).ToArray()], new FlowRunOptions { MapChainWindow = window }).WaitAsync(Scratch.Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), run.Result);
        return mostAlive;
    }

    public static TheoryData<string> InProcess => new() { "local", "threads" };

    private static FlowExecutor Executor(string name) => name == "local" ? new LocalExecutor() : new ThreadExecutor(numWorkers: 2);

    [Theory]
    [MemberData(nameof(InProcess))]
    public async Task A_chain_keeps_no_more_head_results_alive_than_its_window(string name)
    {
        using var executor = (IDisposable)Executor(name);

        var alive = await MostAlive((FlowExecutor)executor, Window);

        // At most the window's elements (plus one a finishing element may still hold); breadth-first holds all of them (below).
        Assert.InRange(alive, 0, Window + 1);
    }

    [Theory]
    [MemberData(nameof(InProcess))]
    public async Task Breadth_first_the_same_chain_keeps_every_head_result_alive(string name)
    {
        using var executor = (IDisposable)Executor(name);

        Assert.Equal(Count, await MostAlive((FlowExecutor)executor, window: 0));
    }
}
