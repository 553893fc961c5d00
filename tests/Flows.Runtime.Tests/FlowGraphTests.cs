using Flows.Graph;

namespace Flows.Runtime.Tests;

public sealed class FlowGraphTests
{
    [Fact]
    public void Edges_dependency_counts_and_roots_are_derived_from_the_input_slots()
    {
        var g = new TestGraph("shape", "x");
        var a = g.Task(Tasks.Inc, g.P(0));
        var b = g.Task(Tasks.Inc, g.P(0));
        var c = g.Task(Tasks.Add, a, b);
        var d = g.Task(Tasks.Add, c, c);
        var graph = g.Build(d);

        Assert.Equal(new[] { 0, 1 }, graph.Roots.ToArray());
        Assert.Equal(new[] { 2 }, graph.DependentsOf(0).ToArray());
        Assert.Equal(2, graph.DependencyCountOf(2));
        Assert.Equal(1, graph.DependencyCountOf(3)); // the same input twice is one dependency
        Assert.Equal(graph.FirstNodeSlot + 3, graph.OutputSlot);
    }

    [Fact]
    public void A_node_that_reads_a_later_node_is_refused_with_the_flow_and_node_named()
    {
        var nodes = new[]
        {
            FlowNode.ForTask("First", Tasks.Inc, 2),
            FlowNode.ForTask("Second", Tasks.Inc, 0),
        };
        var error = Assert.Throws<FlowDefinitionException>(() => new FlowGraph("bad-order", new[] { "x" }, Array.Empty<object?>(), nodes, 2));
        Assert.Contains("bad-order", error.Message);
        Assert.Contains("First", error.Message);
        Assert.Contains("topological", error.Message);
    }

    [Fact]
    public void An_input_slot_outside_the_graph_is_refused()
    {
        var nodes = new[] { FlowNode.ForTask("Only", Tasks.Inc, 7) };
        var error = Assert.Throws<FlowDefinitionException>(() => new FlowGraph("bad-slot", new[] { "x" }, Array.Empty<object?>(), nodes, 1));
        Assert.Contains("slot 7", error.Message);
    }

    [Fact]
    public void A_subflow_node_must_pass_one_input_per_child_parameter()
    {
        var child = new TestGraph("child", "a", "b");
        var childGraph = child.Build(child.P(0));
        var error = Assert.Throws<FlowDefinitionException>(() => FlowNode.ForSubflow("Child", childGraph, 0));
        Assert.Contains("takes 2", error.Message);
    }

    [Theory]
    [InlineData(200, 1.0, 1, 200)]
    [InlineData(200, 1.0, 3, 200)]
    [InlineData(200, 2.0, 1, 200)]
    [InlineData(200, 2.0, 3, 800)]
    [InlineData(0, 2.0, 5, 0)]
    public void Retry_delays_grow_by_the_backoff_factor(int delayMs, double backoff, int retry, int expectedMs)
    {
        var task = new TaskDescriptor("t", "t", static (in TaskArguments _, CancellationToken _) => null, retries: 5, retryDelayMs: delayMs, retryBackoff: backoff);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), task.DelayBeforeRetry(retry));
    }

    [Fact]
    public void A_backoff_factor_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TaskDescriptor("t", "t", static (in TaskArguments _, CancellationToken _) => null, retryBackoff: 0.5));
    }
}
