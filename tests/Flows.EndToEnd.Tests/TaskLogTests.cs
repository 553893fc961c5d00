using Microsoft.Extensions.Logging;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// A task's <see cref="ILogger"/> is bound by the runtime: its records reach <see cref="FlowRunOptions.LoggerFactory"/>
/// in the flow process with their level, template, arguments and exception, in the attempt's scope, on every
/// executor, before the run returns; called directly, the flow logs to the logger it is given.
/// </summary>
public sealed class TaskLogTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private const string Category = "Flows.EndToEnd.Tests.TaskLogFlows";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    public static TheoryData<string> WorkerExecutors => new() { "processes", "cluster" };

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Each_mapped_element_logs_in_its_own_scope_with_level_template_and_arguments(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory(LogLevel.Information);

        var run = await TaskLogFlows.ParseAllFlow.RunAsync(lease.Executor, ["ab", "cde"], options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        Assert.Equal(new[] { 2, 3 }, run.Result);
        var records = logs.Of(Category).OrderBy(r => (string)r.Scope["Task"]!, StringComparer.Ordinal).ToArray();
        Assert.Equal(2, records.Length);
        for (var i = 0; i < 2; i++)
        {
            var record = records[i];
            Assert.Equal(LogLevel.Information, record.Level);
            Assert.Equal("Parsing {Line} of {Length} chars", record.Template);
            Assert.Equal(i == 0 ? "Parsing ab of 2 chars" : "Parsing cde of 3 chars", record.Message);
            Assert.Equal(i == 0 ? "ab" : "cde", record.Arguments["Line"]);
            Assert.Equal(i == 0 ? 2 : 3, Assert.IsType<int>(record.Arguments["Length"]));
            Assert.Equal($"Parse[{i}]", record.Scope["Task"]);
            Assert.Equal("TaskLogFlows.ParseAll", record.Scope["Flow"]);
            Assert.Equal(1, record.Scope["Attempt"]);
            Assert.Equal(run.RunId, record.Scope["RunId"]);
            Assert.Equal($"Flow TaskLogFlows.ParseAll, task Parse[{i}], attempt 1, run {run.RunId}", record.ScopeText);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Argument_values_keep_their_types_and_the_event_id_travels(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory();

        await TaskLogFlows.TypedValuesFlow.RunAsync(lease.Executor, 4, options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        var record = Assert.Single(logs.Of(Category));
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Equal(new EventId(7, "Values"), record.EventId);
        var a = record.Arguments;
        Assert.Equal(4, Assert.IsType<int>(a["Int"]));
        Assert.Equal(5_000_000_000L, Assert.IsType<long>(a["Long"]));
        Assert.Equal(2.5, Assert.IsType<double>(a["Double"]));
        Assert.Equal(1.25m, Assert.IsType<decimal>(a["Decimal"]));
        Assert.True(Assert.IsType<bool>(a["Bool"]));
        Assert.Equal(new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), Assert.IsType<Guid>(a["Guid"]));
        Assert.Equal(TimeSpan.FromSeconds(90), Assert.IsType<TimeSpan>(a["Span"]));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)), Assert.IsType<DateTimeOffset>(a["When"]));
        Assert.Null(a["Nothing"]);

        // Across a process boundary an enum is its name and a sequence its elements; here they are the objects themselves.
        Assert.Equal("Dark", a["Shade"]!.ToString());
        if (executorName is "processes" or "cluster")
        {
            Assert.Equal("1, 2, 3", a["List"]);
        }
        else
        {
            Assert.Equal(new List<int> { 1, 2, 3 }, a["List"]);
        }

        Assert.Contains("Values 4 5000000000", record.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_logged_exception_keeps_its_type(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory();

        await TaskLogFlows.FailingFlow.RunAsync(lease.Executor, 9, options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        var record = Assert.Single(logs.Of(Category));
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Equal("Could not parse {N}", record.Template);
        var type = record.Exception is RemoteTaskException remote ? remote.RemoteType : record.Exception?.GetType().FullName;
        Assert.Equal(typeof(FormatException).FullName, type);
        Assert.Equal("bad number 9", record.Exception!.Message);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_retry_logs_with_its_attempt_number_and_ILogger_of_T_names_its_category(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory();
        var marker = Path.Combine(Path.GetTempPath(), "flows-log-retry-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = await TaskLogFlows.FlakyFlow.RunAsync(lease.Executor, marker, options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

            Assert.Equal(1, run.Result);
            var records = logs.Of(typeof(TaskLogFlows.Shade).FullName!.Replace('+', '.'));
            Assert.Equal(new object?[] { 1, 2 }, records.Select(r => r.Scope["Attempt"]));
            Assert.Equal(new object?[] { true, false }, records.Select(r => r.Arguments["First"]));
            Assert.All(records, r => Assert.Equal("FlakyOnce", r.Scope["Task"]));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task An_attempts_records_are_all_there_in_order_when_the_run_returns(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory();

        var run = await TaskLogFlows.OrderedFlow.RunAsync(lease.Executor, 40, options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        Assert.Equal(40, run.Result);
        Assert.Equal(Enumerable.Range(0, 40).Cast<object?>(), logs.Of(Category).Select(r => r.Arguments["Step"]));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_subflows_task_is_named_with_the_subflows_path(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var logs = new RecordingLoggerFactory(LogLevel.Information);

        await TaskLogFlows.NestedFlow.RunAsync(lease.Executor, ["x"], options: new FlowRunOptions { LoggerFactory = logs }).WaitAsync(Patience);

        var record = Assert.Single(logs.Of(Category));
        Assert.Equal("ParseAll/Parse[0]", record.Scope["Task"]);
        Assert.Equal("TaskLogFlows.Nested", record.Scope["Flow"]);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Without_a_logger_factory_a_task_that_logs_still_runs(string executorName)
    {
        using var lease = workers.Lease(executorName);

        var run = await TaskLogFlows.ParseAllFlow.RunAsync(lease.Executor, ["ab", "cde", "f"]).WaitAsync(Patience);

        Assert.Equal(new[] { 2, 3, 1 }, run.Result);
    }

    [Theory]
    [MemberData(nameof(WorkerExecutors))]
    public async Task A_disabled_level_sends_nothing_across_processes(string executorName)
    {
        using var lease = workers.Lease(executorName);
        const int Count = 200;

        var none = await TaskLogFlows.ChatterFlow.RunAsync(lease.Executor, Count).WaitAsync(Patience);
        var quiet = new RecordingLoggerFactory(LogLevel.Information);
        var disabled = await TaskLogFlows.ChatterFlow.RunAsync(lease.Executor, Count, options: new FlowRunOptions { LoggerFactory = quiet }).WaitAsync(Patience);
        var verbose = new RecordingLoggerFactory(LogLevel.Debug);
        var enabled = await TaskLogFlows.ChatterFlow.RunAsync(lease.Executor, Count, options: new FlowRunOptions { LoggerFactory = verbose }).WaitAsync(Patience);

        Assert.Empty(quiet.Of(Category));
        Assert.Equal(none.BytesMoved, disabled.BytesMoved);
        Assert.Equal(Count, verbose.Of(Category).Count);
        Assert.True(enabled.BytesMoved > none.BytesMoved + (Count * 100), $"{enabled.BytesMoved} bytes with Debug on, {none.BytesMoved} without a factory");
    }

    [Fact]
    public void Called_directly_the_flow_logs_to_the_logger_it_is_given()
    {
        var logs = new RecordingLoggerFactory(LogLevel.Information);

        var lengths = TaskLogFlows.Nested(["ab", "cde"], logs.CreateLogger("mine"));

        Assert.Equal(new[] { 2, 3 }, lengths);
        Assert.Equal(new[] { "Parsing ab of 2 chars", "Parsing cde of 3 chars" }, logs.Of("mine").Select(r => r.Message));
    }


}
