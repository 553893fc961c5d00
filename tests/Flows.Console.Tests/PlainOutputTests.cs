namespace Flows.Console.Tests;

/// <summary>
/// Plain lines (output that is not a terminal) for a flow with a map whose failures are retried and kept, a branch
/// not taken, a subflow and a task that fails after its retries: the same on every executor, durations aside.
/// </summary>
public sealed class PlainOutputTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private const string Flow = "ProgressFlows.Report: ";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>What happened, one line each; their order depends on the executor (tasks that run at the same time).</summary>
    private static readonly string[] Happenings =
    [
        Flow + "run RUN started (8 nodes)",
        Flow + "Numbers succeeded (1 attempt, T)",
        Flow + "IsStrict succeeded (1 attempt, T)",
        Flow + "Square 2 of 8 task runs ended",
        Flow + "Square 4 of 8 task runs ended",
        Flow + "Square 6 of 8 task runs ended",
        Flow + "Square[3] attempt 1 failed: InvalidOperationException: 4 is a multiple of four; retrying in T",
        Flow + "Square[7] attempt 1 failed: InvalidOperationException: 8 is a multiple of four; retrying in T",
        Flow + "Square[3] failed after 2 attempts (kept as its outcome): InvalidOperationException: 4 is a multiple of four",
        Flow + "Square[7] failed after 2 attempts (kept as its outcome): InvalidOperationException: 8 is a multiple of four",
        Flow + "Square succeeded: 8 task runs, 6 succeeded, 2 failed (kept) (T)",
        Flow + "Validate skipped (branch not taken)",
        Flow + "Summarize/Total succeeded (1 attempt, T)",
        Flow + "Summarize/Offset succeeded (1 attempt, T)",
        Flow + "Summarize succeeded (T)",
        Flow + "Publish attempt 1 failed: IOException: cannot publish 125; retrying in T",
        Flow + "Publish attempt 2 failed: IOException: cannot publish 125; retrying in T",
        Flow + "Publish failed after 3 attempts (T): IOException: cannot publish 125",
    ];

    /// <summary>The final table, in graph order, a subflow's nodes under it.</summary>
    private static readonly string[] Table =
    [
        "node state attempts duration task runs",
        "Numbers succeeded 1 T",
        "Square succeeded 10 T 8: 6 succeeded, 2 failed (kept)",
        "IsStrict succeeded 1 T",
        "Validate skipped (branch not taken) 0",
        "Summarize succeeded T",
        "Summarize/Total succeeded 1 T",
        "Summarize/Offset succeeded 1 T",
        "Publish failed 3 T",
        "ProgressFlows.Report failed in T: 14 task runs, 10 succeeded, 3 failed, 1 skipped (run RUN)",
    ];

    public static TheoryData<string> Executors => new() { "local", "threads", "processes", "cluster" };

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task The_plain_lines_tell_each_end_failure_retry_and_map_quarter_and_end_with_the_table(string executor)
    {
        var captured = Captured.Plain();

        var run = await RunAsync(executor, (e, options) => ProgressFlows.ReportFlow.RunAsync(e, 8, 0, options: options));

        Assert.Equal(FlowState.Failed, run.State);
        var lines = captured.Lines(run.RunId);
        var tableStart = lines.ToList().IndexOf(Table[0]);
        Assert.True(tableStart > 0, "no table header in:\n" + string.Join('\n', lines));
        Assert.Equal(Happenings.Order(StringComparer.Ordinal), lines.Take(tableStart).Order(StringComparer.Ordinal));
        Assert.Equal(Table, lines.Skip(tableStart));
        Assert.Equal(Flow + "run RUN started (8 nodes)", lines[0]);

        async Task<FlowRun> RunAsync(string name, Func<FlowExecutor, FlowRunOptions, Task<FlowRun<int>>> start)
        {
            var (flowExecutor, owned) = Create(name);
            try
            {
                return await start(flowExecutor, captured.Options).WaitAsync(Patience);
            }
            finally
            {
                if (owned)
                {
                    flowExecutor.Dispose();
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_run_that_succeeds_ends_with_its_table_and_state(string executor)
    {
        var captured = Captured.Plain();
        var (flowExecutor, owned) = Create(executor);
        FlowRun<int> run;
        try
        {
            run = await ProgressFlows.DoubledFlow.RunAsync(flowExecutor, 3, options: captured.Options).WaitAsync(Patience);
        }
        finally
        {
            if (owned)
            {
                flowExecutor.Dispose();
            }
        }

        Assert.Equal(12, run.Result);
        Assert.Equal(
            [
                "ProgressFlows.Doubled: run RUN started (3 nodes)",
                "ProgressFlows.Doubled: Numbers succeeded (1 attempt, T)",
                "ProgressFlows.Doubled: Double succeeded: 3 task runs, 3 succeeded (T)",
                "ProgressFlows.Doubled: Sum succeeded (1 attempt, T)",
                "node state attempts duration task runs",
                "Numbers succeeded 1 T",
                "Double succeeded 3 T 3: 3 succeeded",
                "Sum succeeded 1 T",
                "ProgressFlows.Doubled succeeded in T: 5 task runs, 5 succeeded (run RUN)",
            ],
            captured.Lines(run.RunId));
    }

    [Fact]
    public async Task Without_the_table_the_run_ends_with_its_line()
    {
        var captured = Captured.Plain(table: false);

        var run = await ProgressFlows.DoubledFlow.RunAsync(new LocalExecutor(), 2, options: captured.Options).WaitAsync(Patience);

        var lines = captured.Lines(run.RunId);
        Assert.DoesNotContain("node state attempts duration task runs", lines);
        Assert.Equal("ProgressFlows.Doubled succeeded in T: 4 task runs, 4 succeeded (run RUN)", lines[^1]);
    }

    private (FlowExecutor Executor, bool Owned) Create(string name) => name switch
    {
        "local" => (new LocalExecutor(), true),
        "threads" => (new ThreadExecutor(numWorkers: 2), true),
        "processes" => (workers.Processes, false),
        "cluster" => (workers.Cluster, false),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
