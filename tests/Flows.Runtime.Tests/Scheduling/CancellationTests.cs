namespace Flows.Runtime.Tests.Scheduling;

/// <summary>Cancelling a run: what happens to running, held and waiting tasks, and to late outcomes.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Cancelling_ends_the_run_at_once_a_held_attempt_then_refuses_to_start_and_a_late_result_is_dropped()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("cancelled");
        var a = g.Task(HeldTasks.Named("a"));
        var b = g.Task(HeldTasks.Named("b"));
        var c = g.Task(HeldTasks.Named("c"), a, b);
        using var cts = new CancellationTokenSource();
        var run = executor.Start(g.Build(c), cancellationToken: cts.Token);
        var running = (await held.NextAsync("a")).Start();
        var waiting = await held.NextAsync("b");

        cts.Cancel();

        // Within Cancel(): every unfinished task run is Cancelled and the run has ended.
        Assert.True(run.IsComplete, "the run did not end within Cancel()");
        Assert.Equal(FlowState.Cancelled, run.FlowState);
        Assert.Equal(1, held.RunCancelledCalls);
        Assert.True(running.Token.IsCancellationRequested);
        Assert.False(running.IsSettled); // its code was asked to stop; the dispatcher still owes its outcome

        // The held attempt is refused at the start, and settled (so a dispatcher need not call it again).
        Assert.False(waiting.TryStart());
        Assert.True(waiting.IsSettled);

        // The running attempt's code ignores its token and succeeds: the value is dropped.
        running.Succeed(1);
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Cancelled, ended.State);
        Assert.Equal(
            new[] { ("a", TaskState.Cancelled, 1), ("b", TaskState.Cancelled, 0), ("c", TaskState.Cancelled, 0) },
            ended.Tasks.Select(t => (t.Name, t.State, t.Attempts)));
        Assert.Null(run.Output);
        held.AssertNothingSubmitted();
        Assert.Equal(2, held.Submitted.Count);
        Assert.Equal(1, held.RunsEnded);
    }

    [Fact]
    public async Task A_token_cancelled_after_every_task_succeeded_does_not_undo_the_run()
    {
        var executor = new HeldExecutor();
        var g = new TestGraph("late-cancel");
        var only = g.Task(HeldTasks.Named("only"));
        using var cts = new CancellationTokenSource();
        var run = executor.Start(g.Build(only), cancellationToken: cts.Token);
        (await executor.Dispatcher.NextAsync("only")).Start().Succeed(3);
        Assert.True(run.IsComplete);

        cts.Cancel();
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(3, run.Output);

        // The run unregistered from the token when it ended: the dispatcher is not told of a cancellation.
        Assert.Equal(0, executor.Dispatcher.RunCancelledCalls);
    }
}
