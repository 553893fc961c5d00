using System.Diagnostics;
using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// The process executor with real worker processes: results, failures with the worker's stack,
/// crashes (fail-fast, kill -9) with retries on fresh workers, hard timeouts, cancellation,
/// and refusal of another build at the handshake.
/// </summary>
public sealed class ProcessExecutorTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly ProcessExecutor _executor = new(numWorkers: 2);
    private readonly string _scratch = Directory.CreateTempSubdirectory("flows-process-tests-").FullName;

    public Task InitializeAsync() => _executor.StartAsync().WaitAsync(Patience);

    public Task DisposeAsync()
    {
        _executor.Dispose();
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }

    private static FlowGraph Graph(string name, string[] parameters, object?[] constants, FlowNode[] nodes, int output) =>
        new(name, parameters, constants, nodes, output);

    [Fact]
    public async Task Tasks_run_in_worker_processes_and_results_come_back()
    {
        // x -> Inc -> (Add with x) ; a map of Inc over xs; Sum of the map.
        var graph = Graph("process-basic", ["x", "xs"], [],
        [
            FlowNode.ForTask("Inc", WorkerTasks.Inc, 0),
            FlowNode.ForTask("Add", WorkerTasks.Add, 2, 0),
            FlowNode.ForMap("IncEach", WorkerTasks.Inc, MapAdapter<int, int>.Instance, 1),
            FlowNode.ForTask("Sum", WorkerTasks.Sum, 4),
            FlowNode.ForTask("Total", WorkerTasks.Add, 3, 5),
        ], 6);
        var run = await FlowRunner.RunAsync<int>(graph, _executor, [10, Enumerable.Range(0, 100).ToArray()]).WaitAsync(Patience);

        Assert.Equal(21 + Enumerable.Range(1, 100).Sum(), run.Result);
        Assert.NotNull(_executor.StartDuration);
    }

    [Fact]
    public async Task Tasks_run_in_other_processes_than_the_flow()
    {
        var graph = Graph("process-pids", ["xs"], [], [FlowNode.ForMap("Pid", WorkerTasks.Pid, MapAdapter<int, int>.Instance, 0)], 1);
        var run = await FlowRunner.RunAsync<int[]>(graph, _executor, [Enumerable.Range(0, 50).ToArray()]).WaitAsync(Patience);

        Assert.DoesNotContain(Environment.ProcessId, run.Result);
        Assert.All(run.Result, pid => Assert.Contains(pid, _executor.WorkerProcessIds));
    }

    [Fact]
    public async Task A_task_that_throws_fails_with_the_original_type_message_and_worker_stack()
    {
        var graph = Graph("process-throw", [], ["bad row 7"], [FlowNode.ForTask("Throw", WorkerTasks.Throw, 0)], 1);
        var run = await FlowRunner.RunAsync<int>(graph, _executor, []).WaitAsync(Patience);

        Assert.Equal(TaskState.Failed, run.Tasks[0].State);
        var remote = Assert.IsType<RemoteTaskException>(run.Tasks[0].Exception);
        Assert.Equal(typeof(InvalidDataException).FullName, remote.RemoteType);
        Assert.Equal("bad row 7", remote.Message);
        Assert.Contains("WorkerTasks", remote.RemoteDetails);
        Assert.Contains("bad row 7", Assert.Throws<FlowFailedException>(() => run.Result).Message);
    }

    [Fact]
    public async Task A_worker_that_fails_fast_marks_its_task_crashed_and_is_replaced()
    {
        var before = _executor.WorkerProcessIds;
        var graph = Graph("process-failfast", [], ["on purpose"], [FlowNode.ForTask("FailFast", WorkerTasks.FailFast, 0)], 1);
        var crashes = 0L;
        using var meter = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FlowMetrics.MeterName && instrument.Name == "flows.worker.crashes")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meter.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "flows.flow" && (string?)tag.Value == "process-failfast")
                {
                    Interlocked.Add(ref crashes, value);
                }
            }
        });
        meter.Start();
        var events = new RecordedEvents();
        var run = await FlowRunner.RunAsync<int>(graph, _executor, [], new FlowRunOptions { Listeners = [events] }).WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        Assert.Equal(TaskState.Crashed, run.Tasks[0].State);
        var crash = Assert.IsType<TaskCrashedException>(run.Tasks[0].Exception);
        Assert.Contains("on purpose", crash.Cause);
        Assert.Equal(["start 1", "end Crashed 1"], events.Stories()["FailFast"]);
        Assert.IsType<TaskCrashedException>(events.All.OfType<TaskFinished>().Single().Error);
        Assert.Equal(1, Interlocked.Read(ref crashes));

        // The pool is whole again and serves the next run.
        var next = Graph("process-after-crash", ["x"], [], [FlowNode.ForTask("Inc", WorkerTasks.Inc, 0)], 1);
        Assert.Equal(2, (await FlowRunner.RunAsync<int>(next, _executor, [1]).WaitAsync(Patience)).Result);
        await WaitUntil(() => _executor.WorkerProcessIds.Count == 2);
        Assert.NotEqual(before.OrderBy(p => p), _executor.WorkerProcessIds.OrderBy(p => p));
    }

    [Fact]
    public async Task A_stack_overflow_in_a_task_crashes_only_its_worker()
    {
        var graph = Graph("process-overflow", [], [0], [FlowNode.ForTask("Overflow", WorkerTasks.Overflow, 0)], 1);
        var run = await FlowRunner.RunAsync<int>(graph, _executor, []).WaitAsync(Patience);

        Assert.Equal(TaskState.Crashed, run.Tasks[0].State);
        var crash = Assert.IsType<TaskCrashedException>(run.Tasks[0].Exception);
        Assert.Contains("Stack overflow", crash.Cause, StringComparison.OrdinalIgnoreCase);

        // The flow process is unharmed and the pool serves the next run.
        var next = Graph("process-after-overflow", ["x"], [], [FlowNode.ForTask("Inc", WorkerTasks.Inc, 0)], 1);
        Assert.Equal(3, (await FlowRunner.RunAsync<int>(next, _executor, [2]).WaitAsync(Patience)).Result);
    }

    [Fact]
    public async Task A_crashed_task_with_retries_left_is_retried_on_a_fresh_worker()
    {
        var marker = Path.Combine(_scratch, "crash-once");
        var graph = Graph("process-crash-once", [], [marker], [FlowNode.ForTask("CrashOnce", WorkerTasks.CrashOnce, 0)], 1);
        var run = await FlowRunner.RunAsync<int>(graph, _executor, []).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(2, run.Tasks[0].Attempts);
        Assert.NotEqual(Environment.ProcessId, run.Result);
    }

    [Fact]
    public async Task Kill_9_of_a_worker_mid_run_crashes_its_task_and_the_others_complete()
    {
        var graph = Graph("process-kill", ["dir", "xs"], [],
        [
            FlowNode.ForTask("WaitForFile", WorkerTasks.WaitForFile, 0),
            FlowNode.ForMap("IncEach", WorkerTasks.Inc, MapAdapter<int, int>.Instance, 1),
            FlowNode.ForTask("Sum", WorkerTasks.Sum, 3),
        ], 4);
        var running = FlowRunner.RunAsync<int>(graph, _executor, [_scratch, Enumerable.Range(0, 200).ToArray()]);
        var pid = await WaitForRunningPid();
        Process.GetProcessById(pid).Kill();
        var run = await running.WaitAsync(Patience);

        Assert.Equal(TaskState.Crashed, run.Tasks[0].State);
        Assert.Contains("signal 9", Assert.IsType<TaskCrashedException>(run.Tasks[0].Exception).Cause);
        Assert.Equal(200, run.Tasks.Count(t => t.Name.StartsWith("IncEach[", StringComparison.Ordinal) && t.State == TaskState.Succeeded));
        Assert.Equal(TaskState.Succeeded, run.Tasks.Single(t => t.Name == "Sum").State);
    }

    [Fact]
    public async Task A_task_past_its_timeout_is_killed_with_its_worker()
    {
        var graph = Graph("process-timeout", [], [0], [FlowNode.ForTask("Hang", WorkerTasks.Hang, 0)], 1);
        var clock = Stopwatch.StartNew();
        var run = await FlowRunner.RunAsync<int>(graph, _executor, []).WaitAsync(Patience);

        Assert.Equal(TaskState.TimedOut, run.Tasks[0].State);
        await WaitUntil(() => _executor.WorkerProcessIds.Count == 2);
        var next = Graph("process-after-timeout", ["x"], [], [FlowNode.ForTask("Inc", WorkerTasks.Inc, 0)], 1);
        Assert.Equal(6, (await FlowRunner.RunAsync<int>(next, _executor, [5]).WaitAsync(Patience)).Result);
    }

    [Fact]
    public async Task Cancelling_the_run_reaches_the_task_in_the_worker()
    {
        var graph = Graph("process-cancel", [], [0], [FlowNode.ForTask("WaitForCancel", WorkerTasks.WaitForCancel, 0)], 1);
        using var cts = new CancellationTokenSource();
        var running = FlowRunner.RunAsync<int>(graph, _executor, [], cancellationToken: cts.Token);
        cts.CancelAfter(200);
        var run = await running.WaitAsync(Patience);

        Assert.Equal(FlowState.Cancelled, run.State);

        // The worker was released by the token, not killed: it serves the next run.
        var next = Graph("process-after-cancel", ["x"], [], [FlowNode.ForTask("Inc", WorkerTasks.Inc, 0)], 1);
        Assert.Equal(2, (await FlowRunner.RunAsync<int>(next, _executor, [1]).WaitAsync(Patience)).Result);
    }

    [Fact]
    public async Task A_task_without_a_serializer_is_refused_with_what_to_do()
    {
        var graph = Graph("process-no-codec", [], [], [FlowNode.ForTask("NoCodec", WorkerTasks.NoCodec)], 0);
        var run = await FlowRunner.RunAsync<int>(graph, _executor, []).WaitAsync(Patience);

        var error = Assert.IsType<FlowDefinitionException>(run.Tasks[0].Exception);
        Assert.Contains("no generated serializer", error.Message);
        Assert.Contains("ThreadExecutor", error.Message);
    }

    [Fact]
    public async Task BytesMoved_counts_every_input_and_result_that_crossed_to_a_worker_and_back()
    {
        const int Length = 10_000;
        using var executor = new ProcessExecutor(2);
        var g = new TestGraph("process-bytes");
        var sum = g.Task(ConformanceTasks.Sum, g.Task(ConformanceTasks.Ones, g.Constant(Length)));
        var run = await FlowRunner.RunAsync<int>(g.Build(sum), executor, []).WaitAsync(Patience);

        // The array came back from one worker and went out to the next: twice, plus the frames.
        Assert.Equal(Length, run.Result);
        Assert.InRange(run.BytesMoved, 2 * 4L * Length, (2 * 4L * Length) + 1_000);

        // Counted per run, though the executor's workers serve every run.
        var again = await FlowRunner.RunAsync<int>(g.Build(sum), executor, []).WaitAsync(Patience);
        Assert.Equal(run.BytesMoved, again.BytesMoved);
    }

    [Fact]
    public async Task A_worker_refuses_another_build_of_the_assembly_at_the_handshake()
    {
        using var executor = new ProcessExecutor(1, new ProcessExecutorOptions { BuildOverride = Guid.NewGuid() });
        var graph = Graph("process-other-build", ["x"], [], [FlowNode.ForTask("Inc", WorkerTasks.Inc, 0)], 1);
        var run = await FlowRunner.RunAsync<int>(graph, executor, [1]).WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        var error = Assert.IsType<WorkerRefusedException>(run.Tasks[0].Exception);
        Assert.Contains("another build", error.Message);
        Assert.Contains("restart the flow process", error.Message);
    }

    private async Task<int> WaitForRunningPid()
    {
        using var limit = new CancellationTokenSource(Patience);
        using var watcher = new FileSystemWatcher(_scratch, "running.*") { EnableRaisingEvents = true };
        while (true)
        {
            var file = Directory.GetFiles(_scratch, "running.*").FirstOrDefault();
            if (file is not null)
            {
                return int.Parse(Path.GetExtension(file).TrimStart('.'), System.Globalization.CultureInfo.InvariantCulture);
            }

            var changed = new TaskCompletionSource();
            using var subscription = limit.Token.Register(() => changed.TrySetCanceled());
            FileSystemEventHandler handler = (_, _) => changed.TrySetResult();
            watcher.Created += handler;
            try
            {
                if (Directory.GetFiles(_scratch, "running.*").Length == 0)
                {
                    await changed.Task.WaitAsync(TimeSpan.FromMilliseconds(500), limit.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
            finally
            {
                watcher.Created -= handler;
            }

            limit.Token.ThrowIfCancellationRequested();
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Patience);
        while (!condition())
        {
            // Worker replacement completes on its own schedule; poll its observable state with a deadline.
            await Task.Delay(20, limit.Token);
        }
    }
}
