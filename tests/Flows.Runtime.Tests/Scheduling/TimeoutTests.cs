using Microsoft.Extensions.Logging;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>Timeouts, decided by the scheduler whatever the dispatcher does.</summary>
public sealed class TimeoutTests
{
    [Fact]
    public async Task An_attempt_that_never_answers_times_out_by_itself_after_the_grace_and_its_late_result_is_discarded()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var sink = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        var g = new TestGraph("late-result");
        var slow = g.Task(HeldTasks.Named("slow", timeoutMs: 50));
        var after = g.Task(HeldTasks.Named("after"), slow);
        var run = executor.Start(g.Build(after), options: new FlowRunOptions { LoggerFactory = factory });

        var attempt = (await held.NextAsync("slow")).Start();
        Assert.Equal(TaskState.Running, run.StateOf("slow"));

        // Nobody answers. The timeout asks the code to stop (the attempt's token)...
        await attempt.TokenCancelledAsync();

        // ...and TimeoutGrace later, the attempt is settled TimedOut by the scheduler itself, which
        // ends the run (its only other task is skipped). Awaited, not slept for.
        var ended = await run.EndAsync();
        Assert.True(attempt.IsSettled);
        Assert.Equal(FlowState.Failed, ended.State);
        var record = ended.Tasks[0];
        Assert.Equal((TaskState.TimedOut, 1, 1), (record.State, record.Attempts, record.AbandonedAttempts));
        var timedOut = Assert.IsType<TaskTimedOutException>(record.Exception);
        Assert.True(timedOut.Abandoned);
        Assert.False(timedOut.Killed);
        Assert.Equal(50, timedOut.TimeoutMs);
        Assert.Equal((TaskState.Skipped, 0), (ended.Tasks[1].State, ended.Tasks[1].Attempts));

        // The grace is there: the attempt was not settled when its token fired. Timers have
        // millisecond resolution, hence the slack.
        Assert.True(
            record.Duration >= TimeSpan.FromMilliseconds(50) + TaskAttempt.TimeoutGrace - TimeSpan.FromMilliseconds(20),
            $"settled {record.Duration.TotalMilliseconds:F0} ms after its start, sooner than its timeout and grace");

        // The held dispatcher is told, and (KillsHungAttempts false) counts it abandoned, not killed.
        Assert.Same(attempt.Attempt, await held.AbandonedAsync());

        // The code answers at last: discarded, and said so; nothing changes, nothing is submitted.
        attempt.Succeed(41);
        Assert.Contains(sink.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("task slow attempt 1 ended Succeeded after it had already been settled", StringComparison.Ordinal));
        var again = run.Ended();
        Assert.Equal(FlowState.Failed, again.State);
        Assert.Equal((TaskState.TimedOut, 1, 1), (again.Tasks[0].State, again.Tasks[0].Attempts, again.Tasks[0].AbandonedAttempts));
        Assert.Equal(TaskState.Skipped, again.Tasks[1].State);
        Assert.Null(run.Output);
        Assert.Single(held.Submitted);
        held.AssertNothingSubmitted();
        Assert.Single(held.Abandoned);
    }

    [Fact]
    public async Task A_result_that_arrives_after_the_timeout_but_within_the_grace_is_a_timeout_not_a_success()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("success-in-grace");
        var slow = g.Task(HeldTasks.Named("slow", timeoutMs: 50));
        var after = g.Task(HeldTasks.Named("after"), slow);
        var run = executor.Start(g.Build(after));

        var attempt = (await held.NextAsync("slow")).Start();
        await attempt.TokenCancelledAsync();

        // The code returns a value after its token fired, before the grace is over: it stopped, so
        // it is not abandoned, but it did not finish within its timeout.
        attempt.Succeed(41);
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        var record = ended.Tasks[0];
        Assert.Equal((TaskState.TimedOut, 1, 0), (record.State, record.Attempts, record.AbandonedAttempts));
        var timedOut = Assert.IsType<TaskTimedOutException>(record.Exception);
        Assert.False(timedOut.Abandoned);
        Assert.Equal(TaskState.Skipped, ended.Tasks[1].State);
        Assert.Null(run.Output);
        Assert.Empty(held.Abandoned);
    }
}
