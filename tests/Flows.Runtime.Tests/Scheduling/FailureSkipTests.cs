namespace Flows.Runtime.Tests.Scheduling;

/// <summary>What a failed task does to the rest of the run, one transition at a time.</summary>
public sealed class FailureSkipTests
{
    [Fact]
    public async Task A_failure_skips_everything_downstream_at_once_and_the_run_waits_for_independent_work()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("skips");
        var a = g.Task(HeldTasks.Named("a"));
        var b = g.Task(HeldTasks.Named("b"), a);
        g.Task(HeldTasks.Named("c"), b);
        g.Task(HeldTasks.Named("d"));
        var run = executor.Start(g.Build());

        // The roots, in graph order, in one burst; nothing else.
        var first = await held.NextAsync("a", 1);
        var independent = await held.NextAsync("d", 1);
        held.AssertNothingSubmitted();
        Assert.True(first.SubmittedInBurst);
        Assert.True(independent.SubmittedInBurst);

        first.Start().Fail("a broke");

        // Skipped within the Fail call, before d has even started; never handed to the dispatcher.
        Assert.Equal(TaskState.Failed, run.StateOf("a"));
        Assert.Equal(TaskState.Skipped, run.StateOf("b"));
        Assert.Equal(TaskState.Skipped, run.StateOf("c"));
        Assert.Equal(TaskState.Pending, run.StateOf("d"));
        held.AssertNothingSubmitted();
        Assert.False(run.IsComplete);
        Assert.Equal(FlowState.Running, run.FlowState);

        independent.Start();
        Assert.Equal(TaskState.Running, run.StateOf("d"));
        Assert.False(run.IsComplete);

        // d is the last sink: its success completes the run, within the call.
        independent.Succeed(4);
        Assert.True(run.IsComplete);
        Assert.Equal(1, held.RunsEnded);

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal(
            new[] { ("a", TaskState.Failed, 1), ("b", TaskState.Skipped, 0), ("c", TaskState.Skipped, 0), ("d", TaskState.Succeeded, 1) },
            ended.Tasks.Select(t => (t.Name, t.State, t.Attempts)));
        Assert.All(ended.Tasks.Where(t => t.State == TaskState.Skipped), t => Assert.Null(t.Start));
        var error = Assert.Throws<FlowFailedException>(ended.EnsureSucceeded);
        Assert.Equal("a", error.TaskName);
        Assert.Equal("a broke", error.InnerException?.Message);
        Assert.Contains("2 downstream task(s) were skipped", error.Message, StringComparison.Ordinal);
        Assert.Single(held.Submitted, s => s.Name == "d");
        Assert.Equal(2, held.Submitted.Count);
    }

    [Fact]
    public async Task A_join_with_a_failed_input_is_skipped_when_its_last_input_finishes()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("join");
        var left = g.Task(HeldTasks.Named("left"));
        var right = g.Task(HeldTasks.Named("right"));
        g.Task(HeldTasks.Named("join"), left, right);
        var run = executor.Start(g.Build());
        var l = (await held.NextAsync("left")).Start();
        var r = (await held.NextAsync("right")).Start();

        // A node is decided when its last input finishes (its count of pending inputs reaches 0):
        // join still waits for right, it is not finished by left's failure alone...
        l.Fail("left broke");
        Assert.Equal(TaskState.Pending, run.StateOf("join"));
        Assert.False(run.IsComplete);

        // ...and right's success does not make it ready: it is skipped, not submitted.
        r.Succeed(2);
        Assert.Equal(TaskState.Skipped, run.StateOf("join"));
        held.AssertNothingSubmitted();
        Assert.True(run.IsComplete);
        Assert.Equal(FlowState.Failed, run.FlowState);
    }
}
