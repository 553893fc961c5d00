using Flows.Graph;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// The map window: at most <c>max(1024, 64 × MaxParallelism)</c> elements of one map are submitted
/// and unfinished at once; each finished element hands its place to the next.
/// </summary>
public sealed class MapWindowTests
{
    [Theory]
    [InlineData(1, 1024)]
    [InlineData(20, 1280)]
    public async Task A_map_submits_its_window_then_one_element_per_finished_one_and_keeps_element_order(int parallelism, int window)
    {
        var executor = new HeldExecutor(parallelism);
        var held = executor.Dispatcher;
        var count = window + 5;
        var g = new TestGraph("window", "xs");
        var m = g.Map(HeldTasks.Named("Square"), MapAdapter<int, int>.Instance, g.P(0));
        var run = executor.Start(g.Build(m), new object?[] { Enumerable.Range(0, count).ToArray() });

        // Exactly the window, elements 0..window-1 in order, in one burst, before Start returned.
        var first = held.Queued;
        Assert.Equal(window, first.Count);
        Assert.Equal(Enumerable.Range(0, window), first.Select(a => a.Element));
        Assert.All(first, a => Assert.True(a.SubmittedInBurst, $"{a} was not submitted in the map's burst"));
        Assert.All(first, a => Assert.Equal(1, a.Number));

        // Finishing one element (not the head) submits exactly the next element, outside any burst.
        held.Take("Square[3]").Start().Succeed(3 * 3);
        var refill = Assert.Single(held.Submitted.Skip(window));
        Assert.Equal(("Square[" + window + "]", 1, false), (refill.Name, refill.Number, refill.SubmittedInBurst));
        Assert.Equal(window, held.Queued.Count);
        Assert.Equal(TaskState.Succeeded, run.StateOf("Square[3]"));
        Assert.Equal(TaskState.Pending, run.StateOf($"Square[{window + 1}]"));

        // Finish the rest newest first (the reverse of element order, refills first): each finish
        // submits exactly one more element until all are submitted, never more than the window.
        var finished = 1;
        while (held.Queued.Count > 0)
        {
            var last = held.Queued[^1];
            var attempt = held.Take(last.Name);
            var x = attempt.Input<int>(0);
            Assert.Equal(attempt.Element, x);
            attempt.Start().Succeed(x * x);
            finished++;
            Assert.Equal(Math.Min(count, window + finished), held.Submitted.Count);
            Assert.True(held.Queued.Count <= window);
        }

        Assert.Equal(count, finished);
        Assert.True(run.IsComplete);
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(Enumerable.Range(0, count).Select(x => x * x), (int[])run.Output!);
        Assert.Equal(count, ended.Tasks.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"Square[{i}]"), ended.Tasks.Select(t => t.Name));
        Assert.Equal(count, held.Submitted.Select(a => a.Element).Distinct().Count());
    }

    [Fact]
    public async Task A_retried_element_keeps_its_place_in_the_window_and_a_failed_element_fails_the_map_only_once_every_element_settled()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var window = 1024;
        var g = new TestGraph("window-failure", "xs");
        var m = g.Map(HeldTasks.Named("Square", retries: 1), MapAdapter<int, int>.Instance, g.P(0));
        g.Task(HeldTasks.Named("after"), m);
        var run = executor.Start(g.Build(), new object?[] { Enumerable.Range(0, window + 1).ToArray() });
        Assert.Equal(window, held.Queued.Count);

        // A retry is the same element's attempt 2, at once (no delay): not a new element.
        held.Take("Square[0]").Start().Fail("element 0 broke");
        Assert.Equal(TaskState.Retrying, run.StateOf("Square[0]"));
        var retry = Assert.Single(held.Submitted.Skip(window));
        Assert.Equal(("Square[0]", 2), (retry.Name, retry.Number));

        // Its last attempt failing finishes element 0: its place goes to element 1024.
        held.Take("Square[0]", 2).Start().Fail("element 0 broke again");
        Assert.Equal(TaskState.Failed, run.StateOf("Square[0]"));
        Assert.Equal(2, run.Record("Square[0]").Attempts);
        var next = held.Submitted[^1];
        Assert.Equal(($"Square[{window}]", 1), (next.Name, next.Number));
        Assert.Equal(window + 2, held.Submitted.Count);

        // The other elements go on; the map and its dependent wait for all of them.
        var rest = held.TakeAll();
        Assert.Equal(window, rest.Count);
        foreach (var attempt in rest.Reverse())
        {
            Assert.False(run.IsComplete, $"the run ended before {attempt} settled");
            if (attempt.Element == 1)
            {
                Assert.Equal(TaskState.Pending, run.StateOf("after"));
            }

            attempt.Start().Succeed(0);
        }

        Assert.Equal(TaskState.Skipped, run.StateOf("after"));
        held.AssertNothingSubmitted();
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Failed, ended.State);
        var error = Assert.Throws<FlowFailedException>(ended.EnsureSucceeded);
        Assert.Equal("Square[0]", error.TaskName);
        Assert.Equal("element 0 broke again", error.InnerException?.Message);
        Assert.Equal(window, ended.Tasks.Count(t => t.State == TaskState.Succeeded));
    }

    [Fact]
    public async Task An_empty_map_succeeds_without_submitting_anything()
    {
        var executor = new HeldExecutor();
        var g = new TestGraph("empty-map", "xs");
        var m = g.Map(HeldTasks.Named("Square"), MapAdapter<int, int>.Instance, g.P(0));
        var after = g.Task(HeldTasks.Named("after"), m);
        var run = executor.Start(g.Build(after), new object?[] { Array.Empty<int>() });

        // The empty result is the dependent's input at once.
        var next = await executor.Dispatcher.NextAsync("after");
        Assert.Empty(next.Input<int[]>(0));
        executor.Dispatcher.AssertNothingSubmitted();
        next.Start().Succeed(7);
        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(7, run.Output);
        Assert.Single(executor.Dispatcher.Submitted);
    }
}
