using Flows.Graph;
using Microsoft.Extensions.Logging;
using C = Flows.Runtime.Tests.ConformanceTasks;

namespace Flows.Runtime.Tests;

/// <summary>FlowRunOptions.StallTimeout: a run that makes no progress is reported with its tasks in flight.</summary>
public sealed class StallWatchdogTests : IDisposable
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    private readonly string _dir = Directory.CreateTempSubdirectory("flows-stall-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    [Fact]
    public async Task A_run_without_progress_past_its_stall_timeout_is_reported_once_with_its_tasks_in_flight()
    {
        using var executor = new ThreadExecutor(2);
        var sink = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink));
        var g = new TestGraph("stalls");
        var stuck = g.Task(C.DeafSync, g.Constant(_dir), g.Constant(7));
        var graph = g.Build(g.Task(Tasks.Inc, stuck));
        var options = new FlowRunOptions { LoggerFactory = factory, StallTimeout = TimeSpan.FromMilliseconds(200) };
        var running = FlowRunner.RunAsync<int>(graph, executor, Array.Empty<object?>(), options);

        // On a loaded machine the task may start more than 200 ms after the run (a stall with nothing
        // running); the stall that counts is the one after it started, reported once.
        await Scratch.WaitForFileAsync(_dir, "started-7", Patience);
        Assert.True(Scratch.PollUntil(() => sink.Lines.Any(IsStuckStall)), "no stall was reported while DeafSync was stuck");
        var stall = Assert.Single(sink.Lines, IsStuckStall);
        Assert.Equal(LogLevel.Warning, stall.Level);
        Assert.Contains("Flow stalls made no progress", stall.Message, StringComparison.Ordinal);
        Assert.Contains("1 task(s) in flight: 'DeafSync' running for", stall.Message, StringComparison.Ordinal);

        Scratch.Signal(_dir, Scratch.Release);
        var run = await running.WaitAsync(Patience);
        Assert.Equal(8, run.Result);
    }

    [Fact]
    public async Task A_non_positive_stall_timeout_is_refused_naming_the_flow()
    {
        using var executor = new ThreadExecutor(1);
        var g = new TestGraph("zero-stall");
        var graph = g.Build(g.Task(Tasks.Inc, g.Constant(1)));
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => FlowRunner.RunAsync<int>(graph, executor, Array.Empty<object?>(), new FlowRunOptions { StallTimeout = TimeSpan.Zero }));
        Assert.Contains("Flow 'zero-stall': FlowRunOptions.StallTimeout must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_watchdog_is_off_by_default()
    {
        Assert.Null(new FlowRunOptions().StallTimeout);
    }

    private static bool IsStuckStall(ListLoggerProvider.LogLine line) =>
        line.Message.Contains("made no progress", StringComparison.Ordinal) && line.Message.Contains("'DeafSync'", StringComparison.Ordinal);
}
