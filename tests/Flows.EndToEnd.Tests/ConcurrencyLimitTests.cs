namespace Flows.EndToEnd.Tests;

/// <summary>
/// Concurrency limits on every executor: the task runs in progress at once (measured from the run's
/// records, which hold on worker processes too, where a static counter would be per process) never
/// exceed the limit, and reach it when there is enough work; a limit set on an executor holds across
/// two runs at once. Called directly, the flows give the same result (one task at a time).
/// </summary>
public sealed class ConcurrencyLimitTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How much each record's interval is shrunk before overlaps are counted: a record's start and
    /// duration are rounded to 100 ns ticks, so a task run that starts when another ends may seem to
    /// overlap it by a tick. Tasks here last 100 ms or more, so a real overlap is far longer.
    /// </summary>
    private static readonly TimeSpan Rounding = TimeSpan.FromMilliseconds(2);

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    /// <summary>How many task runs the executor can have in progress at once for these tasks: LocalExecutor runs one at a time; the others here have two workers (threads run async tasks without holding one).</summary>
    private static int Capacity(string executor, bool async) => executor switch
    {
        "local" => 1,
        "threads" when async => int.MaxValue,
        _ => 2,
    };

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task MaxConcurrency_caps_the_elements_of_an_async_map_in_progress_at_once_and_is_reached(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var xs = Enumerable.Range(1, 8).ToArray();
        var expected = await LimitFlows.FetchAll(xs, 0, CancellationToken.None);

        var run = await LimitFlows.FetchAllFlow.RunAsync(lease.Executor, xs, 150).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(expected, run.Result);
        Assert.Equal(Math.Min(2, Capacity(executorName, async: true)), MaxInFlight(run.Tasks.Where(t => t.Name.StartsWith("Fetch[", StringComparison.Ordinal))));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_tag_limit_caps_two_mapped_tasks_that_carry_the_tag_together(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var xs = Enumerable.Range(1, 3).ToArray();
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { ["db"] = 1 } };

        var run = await LimitFlows.WriteAndReadFlow.RunAsync(lease.Executor, xs, 100, options: options).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(LimitFlows.WriteAndRead(xs, 0), run.Result);
        Assert.Equal(1, MaxInFlight(Limited(run)));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_limit_set_on_the_executor_holds_across_two_runs_at_once(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var executor = lease.Executor;
        var shared = new ConcurrencyLimits(new Dictionary<string, int> { ["audit"] = 1 });
        executor.Limits = shared;
        try
        {
            var xs = Enumerable.Range(1, 2).ToArray();
            var first = LimitFlows.WriteAndReadFlow.RunAsync(executor, xs, 100);
            var second = LimitFlows.WriteAndReadFlow.RunAsync(executor, xs, 100);
            var runs = await Task.WhenAll(first, second).WaitAsync(Patience);

            Assert.All(runs, r => Assert.Equal(FlowState.Succeeded, r.State));
            Assert.Equal(1, MaxInFlight(runs.SelectMany(r => r.Tasks).Where(t => t.Name.StartsWith("Read[", StringComparison.Ordinal))));
            Assert.Equal(0, shared.InUse("audit"));
        }
        finally
        {
            executor.Limits = null;
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_TagLimits_entry_naming_a_tag_no_task_carries_is_refused_before_the_run_starts(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { ["dbs"] = 1 } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => LimitFlows.WriteAndReadFlow.RunAsync(lease.Executor, [1], 0, options: options));

        Assert.Contains("Flow 'LimitFlows.WriteAndRead': FlowRunOptions.TagLimits names tag 'dbs'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'audit', 'db'", error.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<TaskRun> Limited(FlowRun run) =>
        run.Tasks.Where(t => t.Name.StartsWith("Write[", StringComparison.Ordinal) || t.Name.StartsWith("Read[", StringComparison.Ordinal));

    /// <summary>The most records whose intervals (start to start + duration) overlap at one moment.</summary>
    private static int MaxInFlight(IEnumerable<TaskRun> records)
    {
        var edges = new List<(DateTimeOffset At, int Change)>();
        foreach (var record in records)
        {
            Assert.NotNull(record.Start);
            Assert.Equal(TaskState.Succeeded, record.State);
            edges.Add((record.Start!.Value + Rounding, +1));
            edges.Add((record.Start.Value + record.Duration, -1));
        }

        Assert.NotEmpty(edges);
        var inFlight = 0;
        var most = 0;
        foreach (var (_, change) in edges.OrderBy(e => e.At).ThenBy(e => e.Change))
        {
            inFlight += change;
            most = Math.Max(most, inFlight);
        }

        return most;
    }
}
