namespace Flows.EndToEnd.Tests;

/// <summary>
/// Flows written as a user writes them, compiled by the generator, run on every in-process
/// executor and compared with the eager call of the same method.
/// </summary>
public sealed class GeneratedFlowTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    /// <summary>A fresh in-process executor, or the class's shared worker processes (not disposed by the test).</summary>

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_graph_run_gives_what_the_eager_call_gives(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await Pipelines.DiamondFlow.RunAsync(executor, 5).WaitAsync(Patience);

        Assert.Equal(Pipelines.Diamond(5), run.Result);
        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(new[] { "Inc", "Inc#2", "Add", "Add#2" }, run.Tasks.Select(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Map_fans_out_an_async_task_and_fans_in(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var values = Enumerable.Range(1, 500).ToArray();
        var run = await Pipelines.MapAndSumFlow.RunAsync(executor, values).WaitAsync(Patience);

        Assert.Equal(await Pipelines.MapAndSum(values, CancellationToken.None), run.Result);
        Assert.Equal(501, run.Tasks.Count);
        Assert.Equal("Double[499]", run.Tasks[499].Name);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Map_fans_out_a_synchronous_task_that_takes_a_token(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var values = Enumerable.Range(0, 100).ToArray();
        var run = await Pipelines.TripleAllFlow.RunAsync(executor, values).WaitAsync(Patience);

        Assert.Equal(Pipelines.TripleAll(values, CancellationToken.None), run.Result);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Records_and_arrays_of_records_flow_between_tasks(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        string[] files = ["a=1;b=2", "a=3", "c=10;d=4"];
        var run = await Pipelines.ReportFlow.RunAsync(executor, files).WaitAsync(Patience);

        Assert.Equal(Pipelines.Report(files), run.Result);
        Assert.Equal(5, run.Result.Count);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_subflow_runs_inside_its_parent(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await Pipelines.OuterFlow.RunAsync(executor, 1).WaitAsync(Patience);

        Assert.Equal(Pipelines.Outer(1), run.Result);
        Assert.Contains(run.Tasks, t => t.Name == "Diamond/Add#2");
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_failure_names_the_flow_and_the_task_and_skips_downstream(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await Pipelines.FailingFlow.RunAsync(executor, 3).WaitAsync(Patience);

        var error = Assert.Throws<FlowFailedException>(() => run.Result);
        Assert.Equal("Reject", error.TaskName);
        Assert.Contains("Pipelines.Failing", error.Message);
        Assert.Contains("odd value 3", error.Message);
        if (error.InnerException is RemoteTaskException remote)
        {
            // Exceptions do not cross processes as objects: their type name, message and stack do.
            Assert.Contains(executorName, new[] { "processes", "cluster" });
            Assert.Equal(typeof(ArgumentException).FullName, remote.RemoteType);
        }
        else
        {
            Assert.IsType<ArgumentException>(error.InnerException);
        }

        var states = run.Tasks.ToDictionary(t => t.Name, t => t.State);
        Assert.Equal(TaskState.Succeeded, states["Inc"]);
        Assert.Equal(TaskState.Skipped, states["Inc#2"]);
        Assert.Equal(TaskState.Skipped, states["Add"]);

        // The eager call fails the way plain C# does.
        Assert.Throws<ArgumentException>(() => Pipelines.Failing(3));
    }

    // In-process executors only: the task counts its calls in a static field, which each worker
    // process has its own copy of; the conformance suite covers retries across processes.
    [Theory]
    [InlineData("local")]
    [InlineData("threads")]
    public async Task Retries_declared_on_the_task_are_applied(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await Pipelines.RetriedFlow.RunAsync(executor, 9).WaitAsync(Patience);

        Assert.Equal(9, run.Result);
        Assert.InRange(run.Tasks[0].Attempts, 1, 3);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task The_timeout_declared_on_the_task_is_applied(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var run = await Pipelines.TimesOutFlow.RunAsync(executor, 1).WaitAsync(Patience);

        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        Assert.Equal(TaskState.Skipped, run.Tasks[1].State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task The_run_token_reaches_the_tasks_cancellation_token(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var run = await Pipelines.MapAndSumFlow.RunAsync(executor, new[] { 1, 2, 3 }, cts.Token).WaitAsync(Patience);

        Assert.Equal(FlowState.Cancelled, run.State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_null_for_a_non_nullable_parameter_is_refused_before_any_task_runs(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var marker = Path.Combine(Path.GetTempPath(), $"flows-null-refused-{Guid.NewGuid():N}");
        try
        {
            var error = await Assert.ThrowsAsync<ArgumentNullException>(() => NullArgumentFlows.GreetFlow.RunAsync(executor, marker, null!));

            Assert.Equal("name", error.ParamName);
            Assert.False(File.Exists(marker), "the flow's Record task ran although RunAsync refused the run");

            // The same run with a name leaves the mark, so its absence above means no task ran.
            var run = await NullArgumentFlows.GreetFlow.RunAsync(executor, marker, "flows").WaitAsync(Patience);
            Assert.Equal(5, run.Result);
            Assert.True(File.Exists(marker), "the Record task ran but left no mark");
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task RetryOn_retries_the_listed_exception_types_and_fails_at_once_on_others(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var dir = Directory.CreateTempSubdirectory("flows-retry-on-").FullName;
        try
        {
            var run = await RetryOnFlows.ImportFlow.RunAsync(lease.Executor, dir).WaitAsync(Patience);

            // ReadShare's FileNotFoundException is an IOException (matched by name in workers too):
            // retried until it succeeds. Validate's FormatException is not listed: one attempt.
            Assert.Equal(
                new[] { ("ReadShare", TaskState.Succeeded, 3), ("Validate", TaskState.Failed, 1) },
                run.Tasks.Select(t => (t.Name, t.State, t.Attempts)));
            Assert.Equal((3, 1), (File.ReadAllLines(Path.Combine(dir, "read")).Length, File.ReadAllLines(Path.Combine(dir, "validate")).Length));
            Assert.Equal(typeof(FormatException).FullName, run.Tasks[1].ExceptionType);
            Assert.Contains("task 'Validate' failed after 1 attempt: FormatException: row 3 is not a number", Assert.Throws<FlowFailedException>(() => run.Result).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Called_directly_a_flow_applies_no_retries()
    {
        var dir = Directory.CreateTempSubdirectory("flows-retry-on-eager-").FullName;
        try
        {
            // The eager body is plain C#: ReadShare's first failure is thrown to the caller.
            Assert.Throws<FileNotFoundException>(() => RetryOnFlows.Import(dir));
            Assert.Single(File.ReadAllLines(Path.Combine(dir, "read")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_generated_graph_is_the_flow_body()
    {
        var graph = Pipelines.DiamondFlow.Graph;
        Assert.Equal(new[] { "x" }, graph.ParameterNames);
        Assert.Equal(4, graph.Nodes.Count);
        Assert.Equal(new[] { 0 }, graph.Roots.ToArray());
        Assert.Equal(graph.FirstNodeSlot + 3, graph.OutputSlot);
        Assert.Equal("Flows.EndToEnd.Tests.Pipelines.Inc", graph.Nodes[0].Task!.Id);
    }

    [Fact]
    public async Task Records_cross_to_worker_processes_through_the_generated_serializers()
    {
        string[] files = ["x=1.5;y=2.5", "z=-4"];
        var run = await Pipelines.ReportFlow.RunAsync(workers.Executor, files).WaitAsync(Patience);

        Assert.Equal(Pipelines.Report(files), run.Result);
        Assert.Equal(new Stats(3, 0, 2.5), run.Result);
    }

}
