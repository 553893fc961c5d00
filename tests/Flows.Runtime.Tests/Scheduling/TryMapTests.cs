using Flows.Graph;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// A TryMap node (<c>Flow.TryMap</c>): each element's outcome is kept in order; the node succeeds once
/// every element has ended, whatever failed; the run fails only for what fails outside it, and is
/// still Cancelled when cancelled.
/// </summary>
public sealed class TryMapTests
{
    [Fact]
    public async Task Failed_elements_become_outcomes_and_the_map_and_the_run_succeed_once_every_element_ended()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("trymap", "xs");
        var m = g.TryMap(HeldTasks.Named("Parse"), TryMapAdapter<int, int>.Instance, g.P(0));
        var after = g.Task(HeldTasks.Named("after"), m);
        var run = executor.Start(g.Build(after), new object?[] { new[] { 10, 11, 12 } });
        var broken = new FormatException("element 1 broke");

        held.Take("Parse[1]").Start().Fail(broken);
        held.Take("Parse[0]").Start().Succeed(100);

        // One element failed, one is still out: the map waits for it, and its dependent too.
        Assert.Equal(TaskState.Failed, run.StateOf("Parse[1]"));
        Assert.Equal(TaskState.Pending, run.StateOf("after"));
        held.Take("Parse[2]").Start().Succeed(120);

        // The map succeeded with every outcome in element order; its dependent is released.
        var dependent = await held.NextAsync("after");
        var outcomes = dependent.Input<Outcome<int>[]>(0);
        Assert.Equal(new[] { TaskState.Succeeded, TaskState.Failed, TaskState.Succeeded }, outcomes.Select(o => o.State));
        Assert.Equal((100, 120), (outcomes[0].Value, outcomes[2].Value));
        Assert.Same(broken, outcomes[1].Exception);
        Assert.Equal(typeof(FormatException).FullName, outcomes[1].ExceptionType);
        dependent.Start().Succeed("done");

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal("done", run.Output);
        Assert.Equal(TaskState.Failed, ended.Tasks[1].State);
        Assert.Same(broken, ended.Tasks[1].Exception);
        ended.EnsureSucceeded();
    }

    [Fact]
    public async Task Crashed_rejected_and_timed_out_elements_are_kept_with_their_states()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("trymap-states", "xs");
        var m = g.TryMap(HeldTasks.Named("Work", timeoutMs: 50), TryMapAdapter<int, string>.Instance, g.P(0));
        var run = executor.Start(g.Build(m), new object?[] { new[] { 0, 1, 2, 3 } });

        held.Take("Work[0]").Start().Crash("the worker died");
        held.Take("Work[1]").Reject(new InvalidOperationException("no worker can run it"));
        var slow = held.Take("Work[2]").Start();
        await slow.TokenCancelledAsync();
        slow.Fail(new OperationCanceledException(slow.Token));
        held.Take("Work[3]").Start().Succeed("three");

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        var outcomes = (Outcome<string>[])run.Output!;
        Assert.Equal(
            new[] { TaskState.Crashed, TaskState.Failed, TaskState.TimedOut, TaskState.Succeeded },
            outcomes.Select(o => o.State));
        Assert.IsType<TaskCrashedException>(outcomes[0].Exception);
        Assert.Equal("no worker can run it", outcomes[1].Exception!.Message);
        Assert.IsType<TaskTimedOutException>(outcomes[2].Exception);
        Assert.Equal("three", outcomes[3].Value);
        Assert.Equal(ended.Tasks.Take(4).Select(t => t.State), outcomes.Select(o => o.State));
    }

    [Fact]
    public async Task An_element_is_retried_before_its_failure_is_kept()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("trymap-retry", "xs");
        var m = g.TryMap(HeldTasks.Named("Flaky", retries: 1), TryMapAdapter<int, int>.Instance, g.P(0));
        var run = executor.Start(g.Build(m), new object?[] { new[] { 1, 2 } });

        held.Take("Flaky[0]").Start().Fail("first try");
        held.Take("Flaky[0]", 2).Start().Succeed(1);
        held.Take("Flaky[1]").Start().Fail("first try");
        Assert.Equal(TaskState.Retrying, run.StateOf("Flaky[1]"));
        held.Take("Flaky[1]", 2).Start().Fail("second try");

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        var outcomes = (Outcome<int>[])run.Output!;
        Assert.Equal((TaskState.Succeeded, 1), (outcomes[0].State, outcomes[0].Value));
        Assert.Equal((TaskState.Failed, "second try"), (outcomes[1].State, outcomes[1].Exception!.Message));
        Assert.Equal(new[] { 2, 2 }, ended.Tasks.Select(t => t.Attempts));
    }

    [Fact]
    public async Task A_cancelled_run_is_Cancelled_even_when_its_TryMap_kept_failures()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("trymap-cancelled", "xs");
        var m = g.TryMap(HeldTasks.Named("Work"), TryMapAdapter<int, int>.Instance, g.P(0));
        var after = g.Task(HeldTasks.Named("after"), m);
        using var cts = new CancellationTokenSource();
        var run = executor.Start(g.Build(after), new object?[] { new[] { 1, 2, 3 } }, cts.Token);
        held.Take("Work[0]").Start().Fail("broke");
        held.Take("Work[1]").Start().Succeed(2);

        cts.Cancel();

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Cancelled, ended.State);
        Assert.Equal(
            new[] { ("Work[0]", TaskState.Failed), ("Work[1]", TaskState.Succeeded), ("Work[2]", TaskState.Cancelled), ("after", TaskState.Cancelled) },
            ended.Tasks.Select(t => (t.Name, t.State)));
        Assert.Null(run.Output);

        // What the run reports is the cancellation, not the failure the map kept.
        Assert.Equal("Work[2]", ended.FirstFailure?.Name);
        Assert.Equal(FlowState.Cancelled, Assert.Throws<FlowFailedException>(ended.EnsureSucceeded).State);
    }

    [Fact]
    public async Task A_run_that_fails_elsewhere_names_that_task_not_an_element_the_map_kept()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("trymap-then-fail", "xs");
        var m = g.TryMap(HeldTasks.Named("Work"), TryMapAdapter<int, int>.Instance, g.P(0));
        var report = g.Task(HeldTasks.Named("Report"), m);
        var run = executor.Start(g.Build(report), new object?[] { new[] { 1 } });
        held.Take("Work[0]").Start().Fail("kept");

        (await held.NextAsync("Report")).Start().Fail(new IOException("disk full"));

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal("Report", ended.FirstFailure?.Name);
        var error = Assert.Throws<FlowFailedException>(ended.EnsureSucceeded);
        Assert.Equal("Report", error.TaskName);
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_element_gets_the_element_first_and_the_whole_arguments_after_it()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("whole", "urls", "token");
        var limit = g.Constant(3);
        var m = g.TryMap(HeldTasks.Named("Fetch"), TryMapAdapter<string, string>.Instance, g.P(0), g.P(1), limit);
        var run = executor.Start(g.Build(m), new object?[] { new[] { "a", "b" }, "secret" });

        foreach (var attempt in held.TakeAll())
        {
            Assert.Equal(3, attempt.Attempt.Arguments.Count);
            var (url, token, max) = (attempt.Input<string>(0), attempt.Input<string>(1), attempt.Input<int>(2));
            Assert.Equal(new[] { "a", "b" }[attempt.Element], url);
            attempt.Start().Succeed($"{url}:{token}:{max}");
        }

        await run.EndAsync();
        Assert.Equal(new[] { "a:secret:3", "b:secret:3" }, ((Outcome<string>[])run.Output!).Select(o => o.Value));
    }

    [Fact]
    public async Task An_empty_TryMap_succeeds_with_no_outcomes()
    {
        var executor = new HeldExecutor();
        var g = new TestGraph("empty-trymap", "xs");
        var m = g.TryMap(HeldTasks.Named("Work"), TryMapAdapter<int, int>.Instance, g.P(0));
        var run = executor.Start(g.Build(m), new object?[] { Array.Empty<int>() });

        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Empty((Outcome<int>[])run.Output!);
        executor.Dispatcher.AssertNothingSubmitted();
    }

    [Fact]
    public void A_TryMap_node_needs_an_adapter_that_keeps_failures_and_a_Map_node_one_that_does_not()
    {
        var task = HeldTasks.Named("Work");

        Assert.Throws<ArgumentException>(() => FlowNode.ForTryMap("Work", task, MapAdapter<int, int>.Instance, 0));
        Assert.Throws<ArgumentException>(() => FlowNode.ForMap("Work", task, TryMapAdapter<int, int>.Instance, 0));
        Assert.True(FlowNode.ForTryMap("Work", task, TryMapAdapter<int, int>.Instance, 0).KeepsElementFailures);
        Assert.False(FlowNode.ForMap("Work", task, MapAdapter<int, int>.Instance, 0).KeepsElementFailures);
    }
}
