namespace Flows.EndToEnd.Tests;

/// <summary>
/// The flow language's control flow, each construct run eagerly and as a graph on every executor:
/// the same result, the same failure and the same side effects in the same order (each task with
/// a side effect appends to a journal file, which worker processes share).
/// </summary>
public sealed class ControlFlowTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-control-").FullName;

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    public void Dispose() => Directory.Delete(_folder, recursive: true);


    private string NewFile(string name) => Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N"));

    private static string[] Lines(string journal) => File.Exists(journal) ? File.ReadAllLines(journal) : Array.Empty<string>();

    /// <summary>Runs <paramref name="eager"/> on one journal and <paramref name="graph"/> on another and compares result, failure and journal.</summary>
    private async Task<FlowRun> Compare<T>(Func<string, T> eager, Func<string, Task<FlowRun<T>>> graph)
    {
        var (run, result) = await Compare(eager, async j => await graph(j), r => ((FlowRun<T>)r).Result);
        return run;
    }

    private async Task<FlowRun> CompareVoid(Action<string> eager, Func<string, Task<FlowRun>> graph)
    {
        var (run, _) = await Compare(
            journal =>
            {
                eager(journal);
                return 0;
            },
            graph,
            _ => 0);
        return run;
    }

    private async Task<(FlowRun Run, T? Result)> Compare<T>(Func<string, T> eager, Func<string, Task<FlowRun>> graph, Func<FlowRun, T> result)
    {
        var eagerJournal = NewFile("eager");
        var graphJournal = NewFile("graph");
        T? expected = default;
        Exception? thrown = null;
        try
        {
            expected = eager(eagerJournal);
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        var run = await graph(graphJournal).WaitAsync(Patience);
        if (thrown is null)
        {
            Assert.Equal(FlowState.Succeeded, run.State);
            Assert.Equal(expected, result(run));
        }
        else
        {
            Assert.Equal(FlowState.Failed, run.State);
            Assert.Equal(thrown.GetType().FullName, run.FirstFailure!.ExceptionType);
            var error = Assert.Throws<FlowFailedException>(() => run.EnsureSucceeded());
            Assert.Contains(thrown.Message.TrimEnd('.'), error.Message);
        }

        Assert.Equal(Lines(eagerJournal), Lines(graphJournal));
        return (run, thrown is null ? result(run) : default);
    }

    private static TaskRun Task(FlowRun run, string name) => run.Tasks.Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_side_effect_keeps_its_place_in_statement_order(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var expected = await ControlFlows.WriteThenRead(NewFile("eager"), CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            var run = await ControlFlows.WriteThenReadFlow.RunAsync(executor, NewFile("graph")).WaitAsync(Patience);
            Assert.Equal(expected, run.Result);
        }

        Assert.Equal(5, expected);
        Assert.Contains(0, ControlFlows.WriteThenReadFlow.Graph.Nodes[1].OrderEdges);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Flow_After_orders_two_steps_that_share_no_data(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var expected = await ControlFlows.WriteCountThenRead(NewFile("eager"), CancellationToken.None);
        var run = await ControlFlows.WriteCountThenReadFlow.RunAsync(executor, NewFile("graph")).WaitAsync(Patience);

        Assert.Equal(0, expected);
        Assert.Equal(expected, run.Result);
        Assert.Contains(0, ControlFlows.WriteCountThenReadFlow.Graph.Nodes[1].OrderEdges);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task An_if_runs_the_branch_its_condition_takes_and_skips_the_other(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        foreach (var value in new[] { 3, 30 })
        {
            var run = await Compare(j => ControlFlows.Classify(j, value), j => ControlFlows.ClassifyFlow.RunAsync(executor, j, value));

            var (taken, notTaken) = value >= 10 ? ("Describe", "Describe#2") : ("Describe#2", "Describe");
            Assert.Equal(TaskState.Succeeded, Task(run, taken).State);
            Assert.Equal(TaskState.Skipped, Task(run, notTaken).State);
            Assert.Equal(TaskRun.BranchNotTaken, Task(run, notTaken).SkipReason);
            Assert.Null(Task(run, taken).SkipReason);
            Assert.DoesNotContain(run.Tasks, t => t.Name.StartsWith('<'));
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Early_returns_negations_and_nested_ifs_keep_the_eager_path(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        foreach (var (strict, value) in new[] { (false, 4), (true, 4), (true, 40) })
        {
            var run = await Compare(j => ControlFlows.Guarded(j, strict, value), j => ControlFlows.GuardedFlow.RunAsync(executor, j, strict, value));
            Assert.Equal(FlowState.Succeeded, run.State);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Code_after_an_else_if_chain_runs_only_on_the_arms_that_did_not_return(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        foreach (var (strict, value) in new[] { (false, 1), (true, 20), (true, 2) })
        {
            var run = await Compare(j => ControlFlows.Chain(j, strict, value), j => ControlFlows.ChainFlow.RunAsync(executor, j, strict, value));
            var after = Task(run, "Log");
            Assert.Equal(strict && value < 10 ? TaskState.Skipped : TaskState.Succeeded, after.State);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_switch_takes_the_section_of_its_value_or_default(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        foreach (var mode in new[] { Mode.Fast, Mode.Careful, Mode.Off })
        {
            foreach (var value in new[] { 2, 3 })
            {
                await Compare(j => ControlFlows.Switched(j, mode, value), j => ControlFlows.SwitchedFlow.RunAsync(executor, j, mode, value));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_finally_block_runs_after_the_try_block_whatever_happened_there(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var ok = await CompareVoid(j => ControlFlows.Cleaned(j, fail: false), j => ControlFlows.CleanedFlow.RunAsync(executor, j, false));
        Assert.Equal(FlowState.Succeeded, ok.State);

        var failed = await CompareVoid(j => ControlFlows.Cleaned(j, fail: true), j => ControlFlows.CleanedFlow.RunAsync(executor, j, true));
        Assert.Equal(TaskState.Failed, Task(failed, "Use").State);
        Assert.Equal(TaskState.Succeeded, Task(failed, "Close").State);
        Assert.Equal(TaskState.Skipped, Task(failed, "Log").State);
        Assert.Equal(TaskState.Skipped, Task(failed, "Log#2").State);
        Assert.Equal(TaskRun.UpstreamDidNotSucceed, Task(failed, "Log#2").SkipReason);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_catch_block_takes_a_failure_of_its_type_and_its_value_is_merged(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var fine = await Compare(j => ControlFlows.Fallback(j, "primary"), j => ControlFlows.FallbackFlow.RunAsync(executor, j, "primary"));
        Assert.Equal(TaskRun.BranchNotTaken, Task(fine, "Fetch#2").SkipReason);

        var caught = await Compare(j => ControlFlows.Fallback(j, "bad"), j => ControlFlows.FallbackFlow.RunAsync(executor, j, "bad"));
        Assert.Equal(FlowState.Succeeded, caught.State);
        Assert.Equal("summary of data from backup", ((FlowRun<string>)caught).Result);
        var failed = Task(caught, "Fetch");
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Equal(typeof(IOException).FullName, failed.ExceptionType);

        // A derived type is caught too, also when it was thrown in another process (by its type chain's names).
        var derived = await Compare(j => ControlFlows.Fallback(j, "missing"), j => ControlFlows.FallbackFlow.RunAsync(executor, j, "missing"));
        Assert.Equal(typeof(FileNotFoundException).FullName, Task(derived, "Fetch").ExceptionType);
        Assert.Equal(TaskState.Succeeded, Task(derived, "Fetch#2").State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Catch_clauses_are_tried_in_order_and_the_finally_runs_after_them(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        await Compare(j => ControlFlows.CatchOrder(j, "good"), j => ControlFlows.CatchOrderFlow.RunAsync(executor, j, "good"));
        var run = await Compare(j => ControlFlows.CatchOrder(j, "bad"), j => ControlFlows.CatchOrderFlow.RunAsync(executor, j, "bad"));
        Assert.Equal("any", ((FlowRun<string>)run).Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_failure_no_catch_clause_takes_fails_the_flow(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await Compare(j => ControlFlows.Uncaught(j, "bad"), j => ControlFlows.UncaughtFlow.RunAsync(executor, j, "bad"));
        Assert.Equal("Fetch", run.FirstFailure!.Name);
        Assert.Equal(TaskState.Skipped, Task(run, "Log").State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Tuples_deconstruct_into_edges_and_nested_calls_are_steps(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await ControlFlows.ShapesFlow.RunAsync(executor, "4,9,1").WaitAsync(Patience);

        Assert.Equal(ControlFlows.Shapes("4,9,1"), run.Result);
        Assert.Equal(22, run.Result);
        Assert.Equal(new[] { "ParseNumbers", "Bounds", "Span", "ParseNumbers#2", "Total", "Plus" }, run.Tasks.Select(t => t.Name));
    }
}
