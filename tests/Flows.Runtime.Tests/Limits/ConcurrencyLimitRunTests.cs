using Flows.Graph;
using Flows.Runtime.Tests.Scheduling;

namespace Flows.Runtime.Tests.Limits;

/// <summary>
/// Concurrency limits in the scheduler, one transition at a time (a held dispatcher): a limited task
/// run is handed to the executor only with a place; the place given back by a settled attempt hands
/// over the next waiter before that call returns; retries, cancellation and a run's end give back
/// exactly what was taken.
/// </summary>
public sealed class ConcurrencyLimitRunTests
{
    private const int AnHour = 3_600_000;

    private static TaskDescriptor Limited(string name, int maxConcurrency = 0, string[]? tags = null, int retries = 0, int retryDelayMs = 0) =>
        new($"Tests.Held.{name}", name, (in TaskArguments _, CancellationToken _) => throw new InvalidOperationException("held"), retries: retries, retryDelayMs: retryDelayMs)
        {
            MaxConcurrency = maxConcurrency,
            Tags = tags ?? Array.Empty<string>(),
        };

    [Fact]
    public async Task A_map_under_MaxConcurrency_hands_over_that_many_elements_and_each_settled_one_hands_over_the_next_at_once()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("capped", "xs");
        var m = g.Map(Limited("Fetch", maxConcurrency: 2), MapAdapter<int, int>.Instance, g.P(0));
        var run = executor.Start(g.Build(m), new object?[] { Enumerable.Range(0, 5).ToArray() });

        Assert.Equal(new[] { 0, 1 }, held.Queued.Select(a => a.Element));
        Assert.Equal(TaskState.Pending, run.StateOf("Fetch[2]"));

        // Settling element 1 hands element 2 over inside the call (no polling, no thread).
        held.Take("Fetch[1]").Start().Succeed(1);
        Assert.Equal(new[] { 0, 2 }, held.Queued.Select(a => a.Element));

        held.Take("Fetch[0]").Start().Fail("broken");
        Assert.Equal(new[] { 2, 3 }, held.Queued.Select(a => a.Element));
        foreach (var name in new[] { "Fetch[2]", "Fetch[3]", "Fetch[4]" })
        {
            (await held.NextAsync(name)).Start().Succeed(0);
        }

        Assert.Equal(FlowState.Failed, (await run.EndAsync()).State);
    }

    [Fact]
    public void A_tag_limit_caps_every_task_carrying_the_tag_together_and_a_task_with_two_limits_needs_both()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("tagged");
        g.Task(Limited("A", tags: ["db"]));
        g.Task(Limited("B", tags: ["db", "http"]));
        g.Task(Limited("C", tags: ["http"]));
        g.Task(Limited("D", tags: ["db"]));
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { ["db"] = 1, ["http"] = 1 } };
        var run = executor.Start(g.Build(), options: options);

        // A takes db; B waits for db holding nothing, so C takes http; D waits behind B.
        Assert.Equal(new[] { "A", "C" }, held.Queued.Select(a => a.Name));

        // db comes free while C still holds http: B cannot take both, so it waits for http (holding
        // nothing: no deadlock) and D, next in db's line, goes ahead.
        var c = held.Take("C").Start();
        held.Take("A").Start().Succeed(null);
        Assert.Equal("D", Assert.Single(held.Queued).Name);
        c.Succeed(null);
        Assert.Equal("D", Assert.Single(held.Queued).Name);
        held.Take("D").Start().Succeed(null);
        Assert.Equal("B", Assert.Single(held.Queued).Name);
        held.Take("B").Start().Succeed(null);
        Assert.True(run.IsComplete);
    }

    [Fact]
    public async Task A_task_run_waiting_out_its_retry_delay_holds_no_place()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("retry-gives-back");
        g.Task(Limited("Flaky", tags: ["db"], retries: 1, retryDelayMs: 50));
        g.Task(Limited("Other", tags: ["db"]));
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { ["db"] = 1 } };
        var run = executor.Start(g.Build(), options: options);

        held.Take("Flaky").Start().Fail("once");
        Assert.Equal(TaskState.Retrying, run.StateOf("Flaky"));
        var other = held.Take("Other");

        // Attempt 2 of Flaky comes after its delay and waits for the place Other holds.
        other.Start();
        other.Succeed(null);
        (await held.NextAsync("Flaky", 2)).Start().Succeed(null);
        Assert.Equal(FlowState.Succeeded, (await run.EndAsync()).State);
    }

    [Fact]
    public async Task Cancelling_a_run_drops_its_waiters_and_gives_back_only_the_places_taken()
    {
        var limits = new ConcurrencyLimits(new Dictionary<string, int> { ["db"] = 1 });
        var executor = new HeldExecutor { Limits = limits };
        var held = executor.Dispatcher;
        var g = new TestGraph("cancelled");
        g.Task(Limited("A", tags: ["db"]));
        g.Task(Limited("B", tags: ["db"]));
        g.Task(Limited("C", tags: ["db"]));
        using var cts = new CancellationTokenSource();
        var run = executor.Start(g.Build(), cancellationToken: cts.Token);
        var a = held.Take("A").Start();
        Assert.Equal(1, limits.InUse("db"));

        cts.Cancel();
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Cancelled, ended.State);
        Assert.Equal(new[] { TaskState.Cancelled, TaskState.Cancelled, TaskState.Cancelled }, ended.Tasks.Select(t => t.State));

        // B and C held nothing; A's place was given back when the run ended, and A's late outcome gives back nothing more.
        Assert.Equal(0, limits.InUse("db"));
        a.Succeed(null);
        Assert.Equal(0, limits.InUse("db"));
        held.AssertNothingSubmitted();

        // The shared place serves the next run at once.
        var next = new TestGraph("next");
        next.Task(Limited("E", tags: ["db"]));
        var second = executor.Start(next.Build());
        held.Take("E").Start().Succeed(null);
        Assert.Equal(FlowState.Succeeded, (await second.EndAsync()).State);
        Assert.Equal(0, limits.InUse("db"));
    }

    [Fact]
    public async Task An_executor_limit_holds_across_two_runs_and_hands_a_place_from_one_run_to_the_other()
    {
        var limits = new ConcurrencyLimits(new Dictionary<string, int> { ["db"] = 1 });
        var executor = new HeldExecutor { Limits = limits };
        var held = executor.Dispatcher;
        var first = new TestGraph("first");
        first.Task(Limited("A", tags: ["db"]));
        var second = new TestGraph("second");
        second.Task(Limited("B", tags: ["db"]));

        var one = executor.Start(first.Build());
        var two = executor.Start(second.Build());
        Assert.Equal("A", Assert.Single(held.Queued).Name);

        held.Take("A").Start().Succeed(null);
        Assert.Equal("B", Assert.Single(held.Queued).Name);
        held.Take("B").Start().Succeed(null);
        Assert.Equal(FlowState.Succeeded, (await one.EndAsync()).State);
        Assert.Equal(FlowState.Succeeded, (await two.EndAsync()).State);
    }

    [Fact]
    public void A_tag_limited_on_the_run_and_on_the_executor_is_held_to_both_and_a_waiting_task_run_has_not_started()
    {
        var shared = new ConcurrencyLimits(new Dictionary<string, int> { ["db"] = 1 });
        var executor = new HeldExecutor { Limits = shared };
        var held = executor.Dispatcher;
        var g = new TestGraph("both-limits");
        g.Task(Limited("A", tags: ["db"]));
        g.Task(Limited("B", tags: ["db"]));
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { ["db"] = 5 } };
        var run = executor.Start(g.Build(), options: options);

        // The run allows 5, the executor 1: B waits, Pending and with no start time.
        Assert.Equal("A", Assert.Single(held.Queued).Name);
        Assert.Equal((TaskState.Pending, (DateTimeOffset?)null), (run.StateOf("B"), run.Record("B").Start));
        Assert.Equal(2, run.State.Limits!.Uses.Count);
        held.Take("A").Start().Succeed(null);
        Assert.Equal("B", Assert.Single(held.Queued).Name);
        Assert.Equal(1, shared.InUse("db"));
        held.Take("B").Start().Succeed(null);
        Assert.Equal(0, shared.InUse("db"));
    }

    [Fact]
    public void A_subflow_shares_its_parents_MaxConcurrency_for_the_same_task()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var task = Limited("Work", maxConcurrency: 1);
        var child = new TestGraph("child");
        child.Task(task);
        var g = new TestGraph("parent");
        g.Task(task);
        g.Subflow("Child", child.Build());
        var run = executor.Start(g.Build());

        Assert.Equal("Work", Assert.Single(held.Queued).Name);
        held.Take("Work").Start().Succeed(null);
        Assert.Equal("Child/Work", Assert.Single(held.Queued).Name);
        held.Take("Child/Work").Start().Succeed(null);
    }

    [Fact]
    public void A_run_without_limited_tasks_has_no_limits_at_all()
    {
        var executor = new HeldExecutor { Limits = new ConcurrencyLimits(new Dictionary<string, int> { ["other"] = 1 }) };
        var g = new TestGraph("plain");
        g.Task(Limited("A", tags: ["db"]));
        var run = executor.Start(g.Build());

        Assert.Null(run.State.Limits);
    }

    [Theory]
    [InlineData("db", 0, "FlowRunOptions.TagLimits[\"db\"] is 0")]
    [InlineData("db", -1, "FlowRunOptions.TagLimits[\"db\"] is -1")]
    [InlineData("dbb", 2, "names tag 'dbb', which no task of the flow or its subflows carries (its tasks carry 'db')")]
    [InlineData(" ", 2, "null, empty or white-space tag")]
    public void A_bad_TagLimits_entry_is_refused_before_the_run_starts_naming_the_flow_and_the_tag(string tag, int limit, string expected)
    {
        var executor = new HeldExecutor();
        var g = new TestGraph("refused");
        g.Task(Limited("A", tags: ["db"]));
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { [tag] = limit } };

        var error = Assert.ThrowsAny<ArgumentException>(() => executor.Start(g.Build(), options: options));
        Assert.Contains("Flow 'refused': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, executor.RunsBegun);
    }

    [Fact]
    public void An_executors_limits_refuse_a_limit_below_one_and_a_blank_tag()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new ConcurrencyLimits(new Dictionary<string, int> { ["db"] = 0 }));
        Assert.Contains("tag 'db' is 0", zero.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ConcurrencyLimits(new Dictionary<string, int> { [""] = 3 }));
    }

    [Fact]
    public void A_descriptor_refuses_a_negative_MaxConcurrency_and_a_blank_tag_and_keeps_each_tag_once()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Limited("A", maxConcurrency: -1));
        Assert.Throws<ArgumentException>(() => Limited("A", tags: ["db", " "]));
        Assert.Equal(new[] { "db", "http" }, Limited("A", tags: ["db", "http", "db"]).Tags);
    }
}
