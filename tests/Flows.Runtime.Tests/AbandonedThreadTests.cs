using Flows.Graph;
using Microsoft.Extensions.Logging;
using C = Flows.Runtime.Tests.ConformanceTasks;

namespace Flows.Runtime.Tests;

/// <summary>
/// A ThreadExecutor's abandoned threads (stuck in code that ignored its timeout) are logged, bounded,
/// and past the bound the executor refuses work with a message that says why, until they return.
/// </summary>
public sealed class AbandonedThreadTests : IDisposable
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    private readonly string _dir = Directory.CreateTempSubdirectory("flows-abandoned-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    [Fact]
    public async Task Abandoned_threads_are_logged_bounded_and_past_the_bound_the_executor_refuses_runs_until_they_return()
    {
        using var executor = new ThreadExecutor(1) { MaxAbandonedThreads = 1 };
        var sink = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink));
        var options = new FlowRunOptions { LoggerFactory = factory };
        var g = new TestGraph("hangs");
        var hung = g.Build(g.Task(C.HungSync, g.Constant(_dir)));

        // First: abandoned, logged, replaced (within the bound of 1).
        var first = await FlowRunner.RunAsync<int>(hung, executor, Array.Empty<object?>(), options).WaitAsync(Patience);
        Assert.Equal(TaskState.TimedOut, first.Tasks[0].State);
        // The run may end a moment before the pool hears of the abandoned attempt.
        Assert.True(Scratch.PollUntil(() => executor.AbandonedThreads == 1 && sink.Lines.Any(l => l.Level == LogLevel.Warning)), "the first hung thread was not abandoned");
        var warning = Assert.Single(sink.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("abandoned", StringComparison.Ordinal));
        Assert.Contains($"Flow hangs: task Hung ran past its TimeoutMs of {C.HungTimeoutMs} ms", warning.Message, StringComparison.Ordinal);

        // Second: past the bound, not replaced; the executor says so.
        var second = await FlowRunner.RunAsync<int>(hung, executor, Array.Empty<object?>(), options).WaitAsync(Patience);
        Assert.Equal(TaskState.TimedOut, second.Tasks[0].State);
        Assert.True(Scratch.PollUntil(() => executor.AbandonedThreads == 2 && sink.Lines.Any(l => l.Level == LogLevel.Error && l.Message.Contains("bound", StringComparison.Ordinal))), "the second hung thread was not abandoned");
        Assert.Contains(sink.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("past the executor's bound of 1", StringComparison.Ordinal));

        var inc = new TestGraph("after");
        var small = inc.Build(inc.Task(Tasks.Inc, inc.Constant(1)));
        var refused = await Assert.ThrowsAsync<FlowExecutorException>(() => FlowRunner.RunAsync<int>(small, executor, Array.Empty<object?>()));
        Assert.Equal("threads", refused.ExecutorName);
        Assert.Contains("2 abandoned worker thread(s)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'Hung' of flow 'hangs'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("bound of 1", refused.Message, StringComparison.Ordinal);

        // Once the stuck code returns, the threads leave and the executor works again.
        Scratch.Signal(_dir, Scratch.Release);
        Assert.True(Scratch.PollUntil(() => executor.AbandonedThreads == 0), $"{executor.AbandonedThreads} abandoned thread(s) did not leave after their code was released");
        var after = await FlowRunner.RunAsync<int>(small, executor, Array.Empty<object?>()).WaitAsync(Patience);
        Assert.Equal(2, after.Result);
    }

    [Fact]
    public void The_default_bound_is_twice_the_workers()
    {
        using var executor = new ThreadExecutor(3);
        Assert.Equal(6, executor.MaxAbandonedThreads);
    }

    [Fact]
    public async Task A_thread_stuck_in_a_cancelled_run_is_abandoned_with_a_warning_naming_the_task()
    {
        using var executor = new ThreadExecutor(1) { CancelGrace = TimeSpan.FromMilliseconds(100) };
        var sink = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink));
        var g = new TestGraph("cancel-deaf-sync");
        var graph = g.Build(g.Task(C.DeafSync, g.Constant(_dir), g.Constant(0)));
        using var cts = new CancellationTokenSource();
        var running = FlowRunner.RunAsync<int>(graph, executor, Array.Empty<object?>(), new FlowRunOptions { LoggerFactory = factory }, cts.Token);
        await Scratch.WaitForFileAsync(_dir, "started-0", Patience);
        cts.Cancel();
        Assert.Equal(FlowState.Cancelled, (await running.WaitAsync(Patience)).State);

        Assert.True(Scratch.PollUntil(() => executor.AbandonedThreads == 1), "the stuck thread was not abandoned");
        Assert.Contains(sink.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("task DeafSync was cancelled 100 ms ago", StringComparison.Ordinal));
    }
}
