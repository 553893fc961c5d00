using Flows.Graph;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// Branches, try blocks and joins, one transition at a time on graphs built as the generator
/// builds them (slots: parameters, constants, then one per node).
/// </summary>
public sealed class ControlNodeTests
{
    private static FlowNode Task(string name, params int[] inputs) => FlowNode.ForTask(name, HeldTasks.Named(name), inputs);

    [Fact]
    public async Task A_branch_not_taken_is_skipped_at_once_and_what_follows_the_if_still_runs()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;

        // if (flag) { a } else { b }  then c, a side effect that waits for the if.
        var graph = new FlowGraph(
            "branch",
            new[] { "flag" },
            Array.Empty<object?>(),
            new[]
            {
                Task("a").InBranch(0),
                Task("b").InBranch(1),
                FlowNode.ForJoin("<end>").After(FlowEdgeKind.Completed, 0, 1),
                Task("c").After(FlowEdgeKind.Completed, 2),
            },
            -1,
            new[] { FlowBranch.When(-1, 0, true), FlowBranch.When(-1, 0, false) });
        var run = executor.Start(graph, new object?[] { false });

        var b = await held.NextAsync("b");
        held.AssertNothingSubmitted();
        Assert.Equal(TaskState.Skipped, run.StateOf("a"));
        Assert.Equal(TaskRun.BranchNotTaken, run.Record("a").SkipReason);
        Assert.Equal(TaskState.Pending, run.StateOf("c"));

        b.Start().Succeed(null);
        (await held.NextAsync("c")).Start().Succeed(null);

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(new[] { "a", "b", "c" }, ended.Tasks.Select(t => t.Name));
        Assert.Null(ended.Tasks[2].SkipReason);
    }

    [Fact]
    public async Task A_nested_branch_under_an_arm_not_taken_is_not_taken_without_its_condition()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;

        // if (flag) { var ok = check(); if (ok) { inner } }   with flag false: check and inner never run.
        var graph = new FlowGraph(
            "nested",
            new[] { "flag" },
            Array.Empty<object?>(),
            new[] { Task("check").InBranch(0), Task("inner").InBranch(1), Task("last") },
            -1,
            new[] { FlowBranch.When(-1, 0, true), FlowBranch.When(0, 1, true) });
        var run = executor.Start(graph, new object?[] { false });

        (await held.NextAsync("last")).Start().Succeed(null);
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.All(ended.Tasks.Take(2), t => Assert.Equal(TaskRun.BranchNotTaken, t.SkipReason));
        Assert.Single(held.Submitted);
    }

    /// <summary>try { t } catch (IOException) { c }; then d waits for the statement.</summary>
    private static FlowGraph TryCatch(string catchType) => new(
        "try",
        Array.Empty<string>(),
        Array.Empty<object?>(),
        new[]
        {
            Task("t").CaughtBy(1),
            FlowNode.ForTryEnd("<try>", catchType).After(FlowEdgeKind.Settled, 0),
            Task("c").InBranch(0).After(FlowEdgeKind.Completed, 1),
            FlowNode.ForJoin("<end>").After(FlowEdgeKind.Completed, 1, 2),
            Task("d").After(FlowEdgeKind.Completed, 3),
        },
        -1,
        new[] { FlowBranch.Caught(-1, 1, 0) });

    [Fact]
    public async Task A_failure_from_another_process_is_caught_by_its_type_name_and_the_flow_succeeds()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(TryCatch("System.IO.IOException"));

        (await held.NextAsync("t")).Start().Fail(new RemoteTaskException("System.IO.IOException", "disk gone", "System.IO.IOException: disk gone"));
        Assert.Equal(TaskState.Failed, run.StateOf("t"));
        (await held.NextAsync("c")).Start().Succeed(null);
        (await held.NextAsync("d")).Start().Succeed(null);

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(TaskState.Failed, ended.Tasks[0].State);
        Assert.Equal("System.IO.IOException", ended.Tasks[0].ExceptionType);
    }

    [Fact]
    public async Task A_failure_no_clause_takes_fails_the_flow_and_skips_the_handler_and_what_follows()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(TryCatch("System.ArgumentException"));

        (await held.NextAsync("t")).Start().Fail("not an argument problem");
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal(new[] { TaskState.Failed, TaskState.Skipped, TaskState.Skipped }, ended.Tasks.Select(t => t.State));
        Assert.Equal("t", Assert.Throws<FlowFailedException>(ended.EnsureSucceeded).TaskName);
        Assert.Single(held.Submitted);
    }

    [Fact]
    public async Task A_try_that_succeeds_skips_its_handler_as_a_branch_not_taken()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var run = executor.Start(TryCatch("System.Exception"));

        (await held.NextAsync("t")).Start().Succeed(null);
        (await held.NextAsync("d")).Start().Succeed(null);
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal(TaskRun.BranchNotTaken, ended.Tasks[1].SkipReason);
    }

    [Fact]
    public async Task A_failure_before_the_try_is_not_the_try_s_to_catch()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;

        // var p = before(); try { t(p) } catch { c }: before fails, so the try never ran.
        var graph = new FlowGraph(
            "before",
            Array.Empty<string>(),
            Array.Empty<object?>(),
            new[]
            {
                Task("before"),
                Task("t", 0).CaughtBy(2),
                FlowNode.ForTryEnd("<try>", "System.Exception").After(FlowEdgeKind.Settled, 1),
                Task("c").InBranch(0),
            },
            -1,
            new[] { FlowBranch.Caught(-1, 2, 0) });
        var run = executor.Start(graph);

        (await held.NextAsync("before")).Start().Fail("before broke");
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal(new[] { TaskState.Failed, TaskState.Skipped, TaskState.Skipped }, ended.Tasks.Select(t => t.State));
        Assert.Equal(TaskRun.UpstreamDidNotSucceed, ended.Tasks[2].SkipReason);
    }

    [Fact]
    public async Task A_subflow_failure_is_caught_by_the_type_of_the_failure_inside_it()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var child = new FlowGraph("child", Array.Empty<string>(), Array.Empty<object?>(), new[] { Task("inside") }, -1);
        var graph = new FlowGraph(
            "parent",
            Array.Empty<string>(),
            Array.Empty<object?>(),
            new[]
            {
                FlowNode.ForSubflow("Child", child).CaughtBy(1),
                FlowNode.ForTryEnd("<try>", "System.TimeoutException").After(FlowEdgeKind.Settled, 0),
                Task("handler").InBranch(0),
            },
            -1,
            new[] { FlowBranch.Caught(-1, 1, 0) });
        var run = executor.Start(graph);

        (await held.NextAsync("Child/inside")).Start().Fail(new TimeoutException("slow"));
        (await held.NextAsync("handler")).Start().Succeed(null);

        Assert.Equal(FlowState.Succeeded, (await run.EndAsync()).State);
    }

    [Fact]
    public async Task A_finally_runs_after_a_failed_try_and_the_run_is_failed()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;

        // try { t } finally { cleanup }: no catch clause, so t's failure is the run's.
        var graph = new FlowGraph(
            "finally",
            Array.Empty<string>(),
            Array.Empty<object?>(),
            new[]
            {
                Task("t"),
                FlowNode.ForTryEnd("<try>").After(FlowEdgeKind.Settled, 0),
                FlowNode.ForJoin("<finally>").After(FlowEdgeKind.Ran, 1),
                Task("cleanup").After(FlowEdgeKind.Completed, 2),
            },
            -1);
        var run = executor.Start(graph);

        (await held.NextAsync("t")).Start().Fail("t broke");
        (await held.NextAsync("cleanup")).Start().Succeed(null);
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal(TaskState.Succeeded, ended.Tasks[1].State);
    }

    [Fact]
    public async Task A_cancelled_run_runs_no_finally()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;
        var graph = new FlowGraph(
            "cancelled",
            Array.Empty<string>(),
            Array.Empty<object?>(),
            new[]
            {
                Task("t"),
                FlowNode.ForTryEnd("<try>").After(FlowEdgeKind.Settled, 0),
                FlowNode.ForJoin("<finally>").After(FlowEdgeKind.Ran, 1),
                Task("cleanup").After(FlowEdgeKind.Completed, 2),
            },
            -1);
        using var cts = new CancellationTokenSource();
        var run = executor.Start(graph, cancellationToken: cts.Token);

        (await held.NextAsync("t")).Start();
        cts.Cancel();
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Cancelled, ended.State);
        Assert.Equal(TaskState.Cancelled, ended.Tasks[1].State);
        Assert.Single(held.Submitted);
    }

    [Fact]
    public async Task A_merge_takes_the_value_of_the_branch_that_ran_and_an_item_takes_a_tuple_apart()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;

        // string x; if (flag) x = a(); else x = b(); var (l, h) = pair(); return use(x, h);
        var graph = new FlowGraph(
            "merge",
            new[] { "flag" },
            Array.Empty<object?>(),
            new[]
            {
                Task("a").InBranch(0),
                Task("b").InBranch(1),
                FlowNode.ForMerge("<x>", new[] { 0, 1 }, new[] { 1, 2 }),
                Task("pair"),
                FlowNode.ForItem("<h>", 4, 1),
                Task("use", 3, 5),
            },
            6,
            new[] { FlowBranch.When(-1, 0, true), FlowBranch.When(-1, 0, false) });
        var run = executor.Start(graph, new object?[] { true });

        (await held.NextAsync("a")).Start().Succeed("from a");
        (await held.NextAsync("pair")).Start().Succeed((1, "high"));
        var use = (await held.NextAsync("use")).Start();
        Assert.Equal(("from a", "high"), (use.Input<string>(0), use.Input<string>(1)));
        use.Succeed("done");

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Succeeded, ended.State);
        Assert.Equal("done", run.Output);
    }

    [Fact]
    public async Task The_run_s_failure_names_the_task_that_failed_it_not_one_a_catch_took()
    {
        var executor = new HeldExecutor();
        var held = executor.Dispatcher;

        // try { t } catch { c }  and, independent of it, u, which fails the run.
        var graph = new FlowGraph(
            "named",
            Array.Empty<string>(),
            Array.Empty<object?>(),
            new[]
            {
                Task("t").CaughtBy(1),
                FlowNode.ForTryEnd("<try>", "System.Exception").After(FlowEdgeKind.Settled, 0),
                Task("c").InBranch(0),
                Task("u"),
            },
            -1,
            new[] { FlowBranch.Caught(-1, 1, 0) });
        var run = executor.Start(graph);

        (await held.NextAsync("t")).Start().Fail("caught");
        (await held.NextAsync("u")).Start().Fail("not caught");
        (await held.NextAsync("c")).Start().Succeed(null);
        var ended = await run.EndAsync();

        Assert.Equal(FlowState.Failed, ended.State);
        Assert.Equal("u", ended.FirstFailure!.Name);
        Assert.Equal("u", Assert.Throws<FlowFailedException>(ended.EnsureSucceeded).TaskName);
    }
}
