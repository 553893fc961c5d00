namespace Flows.EndToEnd.Tests;

/// <summary>
/// <c>Flow.TryMap</c> and maps with whole arguments, run as graphs on every executor and compared
/// with the eager call of the same flow.
/// </summary>
public sealed class TolerantMapFlowTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_TryMap_keeps_each_elements_outcome_in_order_and_the_run_succeeds(string executorName)
    {
        using var lease = workers.Lease(executorName);
        int[] values = [1, 3, 4, 6, 7];

        var run = await TolerantMaps.CheckAllFlow.RunAsync(lease.Executor, values).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        var eager = TolerantMaps.CheckAll(values);
        Assert.Equal(Describe(eager), Describe(run.Result));
        Assert.Equal(
            new[] { "Succeeded 10", "Failed System.ArgumentException: multiple of three: 3", "Succeeded 40", "Failed System.ArgumentException: multiple of three: 6", "Succeeded 70" },
            Describe(run.Result));

        // The failed elements keep their records; the flow did not fail because of them.
        Assert.Equal(
            new[] { TaskState.Succeeded, TaskState.Failed, TaskState.Succeeded, TaskState.Failed, TaskState.Succeeded },
            run.Tasks.Select(t => t.State));
        Assert.Equal(typeof(ArgumentException).FullName, run.Tasks[1].ExceptionType);
        Assert.Equal("Checked[1]", run.FirstFailure?.Name);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_failed_outcome_has_no_value_and_says_why(string executorName)
    {
        using var lease = workers.Lease(executorName);

        var run = await TolerantMaps.CheckAllFlow.RunAsync(lease.Executor, [3]).WaitAsync(Patience);

        var outcome = Assert.Single(run.Result);
        var error = Assert.Throws<InvalidOperationException>(() => outcome.Value);
        Assert.Contains("failed with System.ArgumentException: multiple of three: 3", error.Message, StringComparison.Ordinal);
        Assert.Same(outcome.Exception, error.InnerException);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_task_reads_the_outcomes_of_a_TryMap_wherever_it_runs(string executorName)
    {
        using var lease = workers.Lease(executorName);
        int[] values = [2, 9, 5];

        var run = await TolerantMaps.CheckAndSummarizeFlow.RunAsync(lease.Executor, values).WaitAsync(Patience);

        // On processes and cluster the outcomes crossed to a worker: the failure's type, message and
        // stack travel as data and come back the same.
        Assert.Equal(TolerantMaps.CheckAndSummarize(values), run.Result);
        Assert.Equal(
            "Succeeded 20 | Failed System.ArgumentException: multiple of three: 9 (stack names the task: True) | Succeeded 50",
            run.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Ten_thousand_elements_with_one_in_a_hundred_failing_complete_Succeeded(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var values = Enumerable.Range(0, 10_000).ToArray();

        var run = await TolerantMaps.CountRareFailuresFlow.RunAsync(lease.Executor, values).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(100, run.Result);
        Assert.Equal(TolerantMaps.CountRareFailures(values), run.Result);
        Assert.Equal(100, run.Tasks.Count(t => t.State == TaskState.Failed));
        Assert.Equal(TaskState.Succeeded, run.Tasks[^1].State);
        Assert.Equal("CountFailed", run.Tasks[^1].Name);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Whole_arguments_from_a_step_a_constant_and_a_parameter_reach_every_element(string executorName)
    {
        using var lease = workers.Lease(executorName);
        int[] values = [1, 2, 3, 4];

        var run = await TolerantMaps.ScaleAllFlow.RunAsync(lease.Executor, values, "v").WaitAsync(Patience);

        Assert.Equal(TolerantMaps.ScaleAll(values, "v"), run.Result);
        Assert.Equal(new[] { "v7", "v10", "v13", "v16" }, run.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task An_async_Map_with_a_whole_argument_and_a_token(string executorName)
    {
        using var lease = workers.Lease(executorName);
        string[] urls = ["a", "b", "c"];

        var run = await TolerantMaps.FetchAllFlow.RunAsync(lease.Executor, urls, "secret").WaitAsync(Patience);

        Assert.Equal(await TolerantMaps.FetchAll(urls, "secret", CancellationToken.None), run.Result);
        Assert.Equal(new[] { "a?token=secret", "b?token=secret", "c?token=secret" }, run.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task An_async_TryMap_with_a_whole_argument_and_a_token(string executorName)
    {
        using var lease = workers.Lease(executorName);
        string[] urls = ["a", "bad", "c"];

        var run = await TolerantMaps.TryFetchAllFlow.RunAsync(lease.Executor, urls, "secret").WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(Describe(await TolerantMaps.TryFetchAll(urls, "secret", CancellationToken.None)), Describe(run.Result));
        Assert.Equal(
            new[] { "Succeeded a?token=secret", "Failed System.InvalidOperationException: cannot fetch bad", "Succeeded c?token=secret" },
            Describe(run.Result));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_synchronous_TryMap_with_a_whole_argument_and_a_token(string executorName)
    {
        using var lease = workers.Lease(executorName);
        int[] values = [1, 8, 2];

        var run = await TolerantMaps.TryBelowFlow.RunAsync(lease.Executor, values, 5).WaitAsync(Patience);

        Assert.Equal(Describe(TolerantMaps.TryBelow(values, 5, CancellationToken.None)), Describe(run.Result));
        Assert.Equal(TaskState.Failed, run.Result[1].State);
        Assert.Equal(typeof(ArgumentOutOfRangeException).FullName, run.Result[1].ExceptionType);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_cancelled_TryMap_run_is_Cancelled(string executorName)
    {
        using var lease = workers.Lease(executorName);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        var run = await TolerantMaps.TryBelowFlow.RunAsync(lease.Executor, [1, 2, 3], 5, cts.Token).WaitAsync(Patience);

        Assert.Equal(FlowState.Cancelled, run.State);

        // Eagerly, the caller's cancellation stops the loop instead of becoming an outcome.
        Assert.Throws<OperationCanceledException>(() => TolerantMaps.TryBelow([1, 2, 3], 5, cts.Token));
    }

    [Fact]
    public void A_token_passed_after_the_whole_arguments_binds_the_tasks_token_parameter()
    {
        var node = Assert.Single(TolerantMaps.FetchAllFlow.Graph.Nodes);

        // The collection and the one whole argument are inputs; the token is not (the runtime binds it).
        Assert.Equal(2, node.InputSlots.Count);
        Assert.False(node.KeepsElementFailures);
        Assert.True(Assert.Single(TolerantMaps.TryFetchAllFlow.Graph.Nodes).KeepsElementFailures);
    }

    /// <summary>An outcome as text: its state, then its value or its failure's original type and message.</summary>
    private static string[] Describe<T>(Outcome<T>[] outcomes) => outcomes
        .Select(o => o.Succeeded ? $"{o.State} {o.Value}" : $"{o.State} {o.ExceptionType}: {o.Exception?.Message}")
        .ToArray();

    /// <summary>A fresh in-process executor, or the class's shared worker processes and cluster (not disposed by the test).</summary>

}
