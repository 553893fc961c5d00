namespace Flows.Runtime.Tests.Scheduling;

/// <summary>Retries: which outcomes are retried, what a retry is, and how cancellation stops one.</summary>
public sealed class RetryTests
{
    /// <summary>Long enough that no retry delay ends during a test.</summary>
    private const int AnHour = 3_600_000;

    [Fact]
    public async Task Cancelling_during_a_retry_delay_cancels_the_task_at_once_and_no_second_attempt_is_ever_submitted()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("cancel-in-delay");
        var flaky = g.Task(HeldTasks.Named("flaky", retries: 1, retryDelayMs: AnHour));
        g.Task(HeldTasks.Named("after"), flaky);
        using var cts = new CancellationTokenSource();
        var run = executor.Start(g.Build(), cancellationToken: cts.Token);

        (await held.NextAsync("flaky", 1)).Start().Fail("attempt 1 broke");

        // Retrying, waiting out its delay: attempt 2 is not submitted yet (it would be at once if
        // the delay were ignored), and the run goes on.
        Assert.Equal(TaskState.Retrying, run.StateOf("flaky"));
        Assert.Equal(1, run.Record("flaky").Attempts);
        Assert.Equal("attempt 1 broke", run.Record("flaky").Exception?.Message);
        Assert.Equal(TaskState.Pending, run.StateOf("after"));
        held.AssertNothingSubmitted();
        Assert.False(run.IsComplete);

        // The run's cancellation (CancelAll) runs inside Cancel(): the task run is finished
        // Cancelled and the run has ended when it returns.
        cts.Cancel();
        Assert.True(run.IsComplete, "the run did not end within Cancel()");
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Cancelled, ended.State);
        Assert.Equal(
            new[] { ("flaky", TaskState.Cancelled, 1), ("after", TaskState.Cancelled, 0) },
            ended.Tasks.Select(t => (t.Name, t.State, t.Attempts)));
        Assert.Equal(1, held.RunCancelledCalls);
        Assert.Equal(1, held.RunsEnded);

        // Attempt 2 never reached the dispatcher. What this cannot see: the cancelled delay's own
        // continuation (which settles attempt 2 Cancelled) runs on the thread pool after Cancel()
        // returns, with no event to await, so a continuation that submitted attempt 2 anyway would
        // come after this assertion (and TryStart would still refuse that attempt). A retry that
        // ignored its delay is caught above, by AssertNothingSubmitted after the Fail.
        held.AssertNothingSubmitted();
        Assert.Single(held.Submitted);
    }

    [Fact]
    public async Task A_crashed_attempt_is_retried_as_the_next_numbered_attempt_and_the_last_crash_fails_the_run()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("crash-retry");
        var fragile = g.Task(HeldTasks.Named("fragile", retries: 1));
        g.Task(HeldTasks.Named("after"), fragile);
        var run = executor.Start(g.Build());

        var one = (await held.NextAsync("fragile", 1)).Start();
        Assert.Equal(TaskState.Running, run.StateOf("fragile"));
        one.Crash("worker 1 died");

        // No delay: attempt 2 is submitted within the Crash call; the record counts attempts started.
        Assert.Equal(TaskState.Retrying, run.StateOf("fragile"));
        var two = Assert.Single(held.Queued);
        Assert.Equal(("fragile", 2, false), (two.Name, two.Number, two.SubmittedInBurst));
        Assert.Equal(1, run.Record("fragile").Attempts);
        held.Take("fragile", 2).Start();
        Assert.Equal((TaskState.Running, 2), (run.StateOf("fragile"), run.Record("fragile").Attempts));

        // A late outcome of attempt 1 changes nothing: attempt 2 owns the task run now.
        one.Succeed(1);
        Assert.Equal(TaskState.Running, run.StateOf("fragile"));
        Assert.Equal(TaskState.Pending, run.StateOf("after"));
        held.AssertNothingSubmitted();

        two.Crash("worker 2 died");
        Assert.True(run.IsComplete);
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        var record = ended.Tasks[0];
        Assert.Equal((TaskState.Crashed, 2), (record.State, record.Attempts));
        Assert.Equal("worker 2 died", Assert.IsType<TaskCrashedException>(record.Exception).Cause);
        Assert.Equal(TaskState.Skipped, ended.Tasks[1].State);
        Assert.Equal(2, held.Submitted.Count);
    }

    [Fact]
    public async Task A_rejected_attempt_fails_like_a_failure_retries_included_and_counts_no_attempt_started()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("rejected");
        var refused = g.Task(HeldTasks.Named("refused", retries: 1));
        g.Task(HeldTasks.Named("after"), refused);
        var run = executor.Start(g.Build());

        // Reject is what a dispatcher that cannot run an attempt calls, without starting it. The
        // scheduler treats it as a failure: the retry goes back to the same dispatcher.
        (await held.NextAsync("refused", 1)).Reject(new ObjectDisposedException("held", "the held executor refuses attempt 1"));
        Assert.Equal(TaskState.Retrying, run.StateOf("refused"));
        var second = await held.NextAsync("refused", 2);
        second.Reject(new ObjectDisposedException("held", "the held executor refuses attempt 2"));

        Assert.True(run.IsComplete);
        var ended = await run.EndAsync();
        var record = ended.Tasks[0];
        Assert.Equal(TaskState.Failed, record.State);
        Assert.Equal(0, record.Attempts);
        Assert.Null(record.Start);
        Assert.Equal(TimeSpan.Zero, record.Duration);
        Assert.Contains("refuses attempt 2", Assert.IsType<ObjectDisposedException>(record.Exception).Message, StringComparison.Ordinal);
        Assert.Equal(TaskState.Skipped, ended.Tasks[1].State);
        held.AssertNothingSubmitted();
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_its_late_result_does_not_settle_the_retry()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("timeout-retry");
        var slow = g.Task(HeldTasks.Named("slow", retries: 1, timeoutMs: 50));
        var run = executor.Start(g.Build(slow));

        var one = (await held.NextAsync("slow", 1)).Start();

        // Attempt 1 never answers: after its timeout and TimeoutGrace the scheduler settles it
        // TimedOut on the timer's thread and submits attempt 2 from there.
        var two = await held.NextAsync("slow", 2);
        Assert.True(one.IsSettled);
        Assert.True(one.Token.IsCancellationRequested);
        Assert.Same(one.Attempt, await held.AbandonedAsync());
        Assert.Equal(TaskState.Retrying, run.StateOf("slow"));
        Assert.Equal(1, run.Record("slow").AbandonedAttempts);
        Assert.True(Assert.IsType<TaskTimedOutException>(run.Record("slow").Exception).Abandoned);

        // Attempt 1's code finally returns: discarded, the task run waits for attempt 2.
        one.Succeed(1);
        Assert.Equal(TaskState.Retrying, run.StateOf("slow"));
        Assert.False(run.IsComplete);

        two.Start().Succeed(2);
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(2, run.Output);
        var record = ended.Tasks[0];
        Assert.Equal((TaskState.Succeeded, 2, 1), (record.State, record.Attempts, record.AbandonedAttempts));
        Assert.Null(record.Exception);
        Assert.Single(held.Abandoned);
    }
}
