using Flows.Graph;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// Chained maps run depth-first: element i of the next stage is submitted when element i of the stage
/// before it succeeds, the head's next element only while fewer than the window's elements are in
/// flight, and an intermediate result is dropped once the next stage's element has ended.
/// </summary>
public sealed class MapChainTests
{
    private static readonly IMapAdapter Ints = MapAdapter<int, int>.Instance;

    /// <summary>A → B → C over the parameter xs, C's result the flow's output.</summary>
    private static FlowGraph ThreeStages(int retries = 0)
    {
        var g = new TestGraph("chain", "xs");
        var a = g.Map(HeldTasks.Named("A"), Ints, g.P(0));
        var b = g.ChainedMap(HeldTasks.Named("B", retries: retries), Ints, a);
        var c = g.ChainedMap(HeldTasks.Named("C"), Ints, b);
        return g.Build(c);
    }

    private static FlowRunOptions Window(int window) => new() { MapChainWindow = window };

    private static object? HandoffOf(HeldRun run, int node, int element) => run.State.NodeAt(node).Map!.Handoff![element];

    [Fact]
    public async Task A_three_stage_chain_submits_the_next_stage_of_an_element_at_once_and_a_new_head_element_only_when_one_leaves_the_window()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(ThreeStages(), [Enumerable.Range(1, 5).ToArray()], options: Window(2));

        // The window's worth of head elements, in one burst.
        Assert.Equal(new[] { "A[0]", "A[1]" }, held.Queued.Select(a => a.Name));
        Assert.All(held.Queued, a => Assert.True(a.SubmittedInBurst));

        // A[0] succeeds: B[0] is submitted with its value, and no new head element (two are in flight).
        held.Take("A[0]").Start().Succeed(10);
        Assert.Equal(new[] { "A[1]", "B[0]" }, held.Queued.Select(a => a.Name));
        Assert.Equal(10, held.Queued[1].Input<int>(0));

        // B[0] succeeds: C[0] reads its value, and A's result 0 is dropped.
        held.Take("B[0]").Start().Succeed(11);
        Assert.Null(HandoffOf(run, 0, 0));
        Assert.Equal(new[] { "A[1]", "C[0]" }, held.Queued.Select(a => a.Name));
        Assert.Equal(11, held.Queued[1].Input<int>(0));

        // C[0] ends element 0: B's result 0 is dropped, and the head's next element takes its place.
        held.Take("C[0]").Start().Succeed(12);
        Assert.Null(HandoffOf(run, 1, 0));
        Assert.Equal(new[] { "A[1]", "A[2]" }, held.Queued.Select(a => a.Name));

        // The rest, newest first: never more than two elements in flight.
        while (held.Queued.Count > 0)
        {
            var attempt = held.Take(held.Queued[^1].Name);
            attempt.Start().Succeed(attempt.Input<int>(0) + 1);
            Assert.True(held.Queued.Select(a => a.Element).Distinct().Count() <= 2);
        }

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(new[] { 12, 5, 6, 7, 8 }, (int[])run.Output!);
        Assert.Equal(2, run.State.PeakInFlightOf(0));
        Assert.Equal(
            new[] { "A", "B", "C" }.SelectMany(t => Enumerable.Range(0, 5).Select(i => $"{t}[{i}]")),
            ended.Tasks.Select(t => t.Name));
        Assert.All(ended.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
    }

    [Fact]
    public async Task A_window_of_zero_runs_the_chain_breadth_first_every_head_element_before_any_of_the_next_stage()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(ThreeStages(), [Enumerable.Range(1, 3).ToArray()], options: Window(0));

        Assert.Equal(new[] { "A[0]", "A[1]", "A[2]" }, held.Queued.Select(a => a.Name));
        held.Take("A[0]").Start().Succeed(1);
        held.Take("A[1]").Start().Succeed(2);
        Assert.Equal(new[] { "A[2]" }, held.Queued.Select(a => a.Name));
        held.Take("A[2]").Start().Succeed(3);
        Assert.Equal(new[] { "B[0]", "B[1]", "B[2]" }, held.Queued.Select(a => a.Name));
        foreach (var b in held.TakeAll())
        {
            b.Start().Succeed(b.Input<int>(0) * 10);
        }

        foreach (var c in held.TakeAll())
        {
            c.Start().Succeed(c.Input<int>(0) + 1);
        }

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(new[] { 11, 21, 31 }, (int[])run.Output!);
        Assert.Equal(-1, run.State.PeakInFlightOf(0));
    }

    [Fact]
    public async Task A_retried_element_of_a_later_stage_reads_its_input_again_which_is_dropped_only_when_it_ends()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(ThreeStages(retries: 1), [new[] { 1 }], options: Window(4));

        held.Take("A[0]").Start().Succeed(7);
        held.Take("B[0]").Start().Fail("B broke once");
        Assert.Equal(7, HandoffOf(run, 0, 0));
        var retry = held.Take("B[0]", number: 2);
        Assert.Equal(7, retry.Input<int>(0));
        retry.Start().Succeed(8);
        Assert.Null(HandoffOf(run, 0, 0));
        held.Take("C[0]").Start().Succeed(9);

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(2, ended.Tasks.Single(t => t.Name == "B[0]").Attempts);
    }

    [Fact]
    public async Task A_head_element_that_fails_before_any_later_element_ran_ends_the_run_exactly_as_breadth_first()
    {
        async Task<FlowRun> RunWith(int window)
        {
            var executor = new HeldExecutor();
            var held = executor.Dispatcher;
            var run = executor.Start(ThreeStages(), [Enumerable.Range(1, 4).ToArray()], options: Window(window));
            held.Take("A[0]").Start().Fail("element 0 broke");
            while (held.Queued.FirstOrDefault(a => a.Name.StartsWith("A[", StringComparison.Ordinal)) is { } next)
            {
                held.Take(next.Name).Start().Succeed(next.Input<int>(0));
            }

            held.AssertNothingSubmitted();
            return await run.EndAsync();
        }

        var breadthFirst = await RunWith(0);
        var chained = await RunWith(2);

        Assert.Equal(FlowState.Failed, chained.State);
        Assert.Equal(breadthFirst.State, chained.State);
        Assert.Equal(breadthFirst.Tasks.Select(t => (t.Name, t.State, t.SkipReason)), chained.Tasks.Select(t => (t.Name, t.State, t.SkipReason)));
        Assert.Equal("A[0]", chained.FirstFailure!.Name);
        var expected = Assert.Throws<FlowFailedException>(breadthFirst.EnsureSucceeded);
        var actual = Assert.Throws<FlowFailedException>(chained.EnsureSucceeded);
        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.InnerException!.Message, actual.InnerException!.Message);
    }

    [Fact]
    public async Task A_failed_head_element_stops_the_later_stages_their_elements_under_way_finish_and_the_stages_end_skipped()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(ThreeStages(), [Enumerable.Range(1, 4).ToArray()], options: Window(2));

        held.Take("A[0]").Start().Succeed(1);
        Assert.Equal(new[] { "A[1]", "B[0]" }, held.Queued.Select(a => a.Name));

        // A[1] fails: the head goes on with every element (as breadth-first), B takes no new one.
        held.Take("A[1]").Start().Fail("element 1 broke");
        Assert.Equal(new[] { "B[0]", "A[2]" }, held.Queued.Select(a => a.Name));
        held.Take("A[2]").Start().Succeed(3);
        Assert.Null(HandoffOf(run, 0, 2));
        Assert.Equal(new[] { "B[0]", "A[3]" }, held.Queued.Select(a => a.Name));
        held.Take("A[3]").Start().Succeed(4);

        // A has ended Failed, but B waits for its element under way; that one gets no C.
        Assert.False(run.IsComplete);
        held.Take("B[0]").Start().Succeed(10);
        held.AssertNothingSubmitted();

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal("A[1]", ended.FirstFailure!.Name);
        Assert.Equal("element 1 broke", Assert.Throws<FlowFailedException>(ended.EnsureSucceeded).InnerException!.Message);
        Assert.Equal(TaskState.Succeeded, ended.Tasks.Single(t => t.Name == "B[0]").State);
        Assert.All(ended.Tasks.Where(t => t.Name is "B[1]" or "B[2]" or "B[3]"), t => Assert.Equal((TaskState.Skipped, TaskRun.UpstreamDidNotSucceed), (t.State, t.SkipReason)));
        Assert.Equal((TaskState.Skipped, TaskRun.UpstreamDidNotSucceed), (ended.Tasks.Single(t => t.Name == "C").State, ended.Tasks.Single(t => t.Name == "C").SkipReason));
        Assert.Equal(TaskState.Skipped, run.State.NodeAt(1).State);
    }

    [Fact]
    public async Task A_failed_middle_element_fails_its_stage_once_all_of_its_elements_ran_and_skips_the_last_stage()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(ThreeStages(), [Enumerable.Range(1, 3).ToArray()], options: Window(3));

        foreach (var a in held.TakeAll())
        {
            a.Start().Succeed(a.Input<int>(0));
        }

        held.Take("B[1]").Start().Fail("B broke on 2");
        held.Take("B[0]").Start().Succeed(10);
        held.Take("B[2]").Start().Succeed(30);
        held.AssertNothingSubmitted();

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal("B[1]", ended.FirstFailure!.Name);
        Assert.Equal(TaskState.Failed, run.State.NodeAt(1).State);
        Assert.Equal(TaskState.Skipped, ended.Tasks.Single(t => t.Name == "C").State);
    }

    [Fact]
    public async Task A_TryMap_stage_hands_on_each_outcome_failed_ones_too_and_the_chain_goes_on()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var g = new TestGraph("tolerant-chain", "xs");
        var a = g.TryMap(HeldTasks.Named("A"), TryMapAdapter<int, int>.Instance, g.P(0));
        var b = g.ChainedMap(HeldTasks.Named("B"), MapAdapter<Outcome<int>, string>.Instance, a);
        var run = executor.Start(g.Build(b), [new[] { 1, 2 }], options: Window(2));

        held.Take("A[0]").Start().Fail("no good");
        var b0 = held.Take("B[0]");
        var outcome = b0.Input<Outcome<int>>(0);
        Assert.False(outcome.Succeeded);
        Assert.Equal("no good", outcome.Exception!.Message);
        b0.Start().Succeed("bad");
        held.Take("A[1]").Start().Succeed(2);
        var b1 = held.Take("B[1]");
        Assert.Equal(2, b1.Input<Outcome<int>>(0).Value);
        b1.Start().Succeed("2");

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(new[] { "bad", "2" }, (string[])run.Output!);
        Assert.True(ended.Tasks.Single(t => t.Name == "A[0]").FailureKept);
    }

    [Fact]
    public async Task Cancelling_a_chain_mid_way_cancels_what_is_under_way_and_ends_the_run_cancelled()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        using var cts = new CancellationTokenSource();
        var run = executor.Start(ThreeStages(), [Enumerable.Range(1, 6).ToArray()], cts.Token, Window(2));
        held.Take("A[0]").Start().Succeed(1);
        held.Take("B[0]").Start().Succeed(2);

        cts.Cancel();

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Cancelled, ended.State);
        Assert.Equal(TaskState.Cancelled, run.State.NodeAt(0).State);
        Assert.Equal(TaskState.Cancelled, run.State.NodeAt(1).State);
        Assert.Equal(TaskState.Cancelled, run.State.NodeAt(2).State);
        Assert.Equal(TaskState.Succeeded, ended.Tasks.Single(t => t.Name == "B[0]").State);
        Assert.DoesNotContain(ended.Tasks, t => !TaskStats.IsTerminal((int)t.State));
    }

    [Fact]
    public async Task A_stage_that_also_waits_for_an_unfinished_node_stays_out_of_the_chain_and_runs_breadth_first_after_it()
    {
        // C reads B's elements, but also waits for A (Flow.After(a)): when A expands, C is not ready, so
        // the chain is A → B, and C maps B's whole result once B has ended.
        var a = FlowNode.ForMap("A", HeldTasks.Named("A"), Ints, 0);
        var b = FlowNode.ForMap("B", HeldTasks.Named("B"), Ints, 1).ReadingElementsOf(0);
        var c = FlowNode.ForMap("C", HeldTasks.Named("C"), Ints, 2).ReadingElementsOf(1).After(FlowEdgeKind.Completed, 0);
        var graph = new FlowGraph("partial-chain", ["xs"], [], [a, b, c], 3);
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(graph, [new[] { 1, 2, 3 }], options: Window(2));

        Assert.Equal(new[] { "A[0]", "A[1]" }, held.Queued.Select(x => x.Name));
        held.Take("A[0]").Start().Succeed(1);
        held.Take("B[0]").Start().Succeed(10);
        Assert.Equal(new[] { "A[1]", "A[2]" }, held.Queued.Select(x => x.Name));
        Assert.Null(run.State.NodeAt(2).Map);
        held.Take("A[1]").Start().Succeed(2);
        held.Take("A[2]").Start().Succeed(3);
        held.Take("B[1]").Start().Succeed(20);
        held.Take("B[2]").Start().Succeed(30);

        Assert.Equal(new[] { "C[0]", "C[1]", "C[2]" }, held.Queued.Select(x => x.Name));
        Assert.Equal(new[] { 10, 20, 30 }, held.Queued.Select(x => x.Input<int>(0)));
        foreach (var x in held.TakeAll())
        {
            x.Start().Succeed(x.Input<int>(0) + 1);
        }

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(new[] { 11, 21, 31 }, (int[])run.Output!);
    }

    [Fact]
    public void A_negative_window_is_refused_with_the_flow_named()
    {
        var executor = new HeldExecutor();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => executor.Start(ThreeStages(), [new[] { 1 }], options: Window(-1)));
        Assert.Contains("'chain'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_that_marks_a_map_chained_when_its_upstream_map_is_also_read_whole_is_refused()
    {
        var g = new TestGraph("bad-chain", "xs");
        var a = g.Map(HeldTasks.Named("A"), Ints, g.P(0));
        var b = g.ChainedMap(HeldTasks.Named("B"), Ints, a);
        g.Task(HeldTasks.Named("Sum"), a, b);

        var error = Assert.Throws<FlowDefinitionException>(() => g.Build());
        Assert.Contains("Flow 'bad-chain', node 'B'", error.Message, StringComparison.Ordinal);
        Assert.Contains("node 'Sum' also reads the result of 'A' whole", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_that_marks_a_map_chained_after_a_map_that_is_the_flows_output_is_refused()
    {
        var g = new TestGraph("output-chain", "xs");
        var a = g.Map(HeldTasks.Named("A"), Ints, g.P(0));
        g.ChainedMap(HeldTasks.Named("B"), Ints, a);

        var error = Assert.Throws<FlowDefinitionException>(() => g.Build(a));
        Assert.Contains("is also the flow's output", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_graph_that_marks_a_map_chained_after_a_task_is_refused()
    {
        var g = new TestGraph("task-chain", "xs");
        var a = g.Task(HeldTasks.Named("A"), g.P(0));
        g.ChainedMap(HeldTasks.Named("B"), Ints, a);

        Assert.Contains("is not a Map node before it", Assert.Throws<FlowDefinitionException>(() => g.Build()).Message, StringComparison.Ordinal);
    }
}
