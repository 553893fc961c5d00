using Flows.Graph;

namespace Flows.Runtime.Tests;

public sealed class ThreadExecutorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Defaults_to_one_worker_per_core_and_refuses_zero()
    {
        using var executor = new ThreadExecutor();
        Assert.Equal(Environment.ProcessorCount, executor.NumWorkers);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadExecutor(0));
    }

    [Fact]
    public async Task Disposing_the_executor_mid_run_fails_the_queued_tasks_instead_of_hanging()
    {
        var executor = new ThreadExecutor(1);
        using var release = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = Tasks.Sync("Blocker", (a, _) =>
        {
            if (a.Get<int>(0) == 0)
            {
                started.TrySetResult();
                release.Wait(Patience);
            }

            return a.Get<int>(0);
        });
        var g = new TestGraph("disposed", "xs");
        var m = g.Map(blocker, MapAdapter<int, int>.Instance, g.P(0));
        var running = FlowRunner.RunAsync<int[]>(g.Build(m), executor, new object?[] { Enumerable.Range(0, 10).ToArray() });
        await started.Task.WaitAsync(Patience);
        executor.Dispose();
        release.Set();
        var run = await running.WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        Assert.Contains(run.Tasks, t => t.Exception is ObjectDisposedException e && e.Message.Contains("disposed"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => FlowRunner.RunAsync<int[]>(g.Build(m), executor, new object?[] { new[] { 1 } }));
    }

    [Fact]
    public async Task One_executor_serves_several_runs_at_once()
    {
        using var executor = new ThreadExecutor(2);
        var g = new TestGraph("many", "xs");
        var m = g.Map(Tasks.Inc, MapAdapter<int, int>.Instance, g.P(0));
        var graph = g.Build(m);
        var runs = Enumerable.Range(0, 8)
            .Select(i => FlowRunner.RunAsync<int[]>(graph, executor, new object?[] { Enumerable.Range(i * 100, 100).ToArray() }))
            .ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(Patience);
        for (var i = 0; i < runs.Length; i++)
        {
            Assert.Equal(Enumerable.Range(i * 100 + 1, 100), results[i].Result);
        }
    }
}
