namespace Flows.EndToEnd.Tests;

/// <summary>
/// The live events of generated flows on every executor: restored and cached task runs, branches not
/// taken, the kept failures of a TryMap, and a stream read with <c>await foreach</c> while the run goes.
/// </summary>
public sealed class RunEventTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-events-").FullName;

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    public void Dispose() => Directory.Delete(_folder, recursive: true);


    private string NewPath(string name) => Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N"));

    /// <summary>Reads a run's events with await foreach while it runs; the stream ends with its FlowFinished.</summary>
    private static async Task<(T Run, List<FlowEvent> Events)> WatchAsync<T>(Func<FlowRunOptions, Task<T>> start, FlowRunOptions? options = null)
    {
        var stream = new FlowEventStream();
        var running = start(new FlowRunOptions { Listeners = [stream], Store = options?.Store, RunId = options?.RunId });
        var events = new List<FlowEvent>();
        await foreach (var e in stream.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            events.Add(e);
        }

        return (await running.WaitAsync(Patience), events);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_resume_tells_which_task_runs_were_restored_and_a_cache_hit_is_Cached(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store };

        var (first, firstEvents) = await WatchAsync(o => DurableFlows.PipelineFlow.RunAsync(executor, journal, gate, 5, [1, 2, 3, 4], options: o), options);
        Assert.Equal(FlowState.Failed, first.State);
        Assert.False(Assert.IsType<FlowStarted>(firstEvents[0]).Resumed);

        File.WriteAllText(gate, "open");
        var (resumed, events) = await WatchAsync(o => DurableFlows.PipelineFlow.ResumeAsync(executor, first.RunId, options: o), options);
        Assert.Equal(FlowState.Succeeded, resumed.State);
        Assert.True(Assert.IsType<FlowStarted>(events[0]).Resumed);
        Assert.Same(resumed, Assert.IsType<FlowFinished>(events[^1]).Run);

        var ends = events.OfType<TaskFinished>().ToDictionary(e => e.Task);
        foreach (var restored in new[] { "Step", "Step#2", "SquareUnlessClosed[0]", "SquareUnlessClosed[1]", "SquareUnlessClosed[3]" })
        {
            Assert.True(ends[restored].Restored, restored);
            Assert.Equal((TaskState.Succeeded, 0), (ends[restored].State, ends[restored].Attempts));
            Assert.DoesNotContain(events, e => e is TaskStarted s && s.Task == restored);
        }

        Assert.False(ends["SquareUnlessClosed[2]"].Restored);
        Assert.Single(events, e => e is TaskStarted { Task: "SquareUnlessClosed[2]", Attempt: 1 });

        var cachedJournal = NewPath("cached");
        await DurableFlows.CachedFlow.RunAsync(executor, cachedJournal, 21, options: options).WaitAsync(Patience);
        var (hit, hitEvents) = await WatchAsync(o => DurableFlows.CachedFlow.RunAsync(executor, cachedJournal, 21, options: o), options);
        Assert.Equal(43, hit.Result);
        var expensive = hitEvents.OfType<TaskFinished>().Single(e => e.Node == "Expensive");
        Assert.Equal((TaskState.Cached, 0, false), (expensive.State, expensive.Attempts, expensive.Restored));
        Assert.DoesNotContain(hitEvents, e => e is TaskStarted { Node: "Expensive" });
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_branch_not_taken_is_told_as_such_and_a_TryMap_keeps_its_failures(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        var journal = NewPath("journal");
        var (classified, events) = await WatchAsync(o => ControlFlows.ClassifyFlow.RunAsync(executor, journal, 3, options: o));
        Assert.Equal(FlowState.Succeeded, classified.State);
        var notTaken = events.OfType<TaskFinished>().Single(e => e.Task == "Describe");
        Assert.Equal((TaskState.Skipped, TaskRun.BranchNotTaken), (notTaken.State, notTaken.SkipReason));
        Assert.Equal(TaskState.Succeeded, events.OfType<TaskFinished>().Single(e => e.Task == "Describe#2").State);

        var (checkedRun, checkedEvents) = await WatchAsync(o => TolerantMaps.CheckAllFlow.RunAsync(executor, [1, 3, 4], options: o));
        Assert.Equal(FlowState.Succeeded, checkedRun.State);
        var refused = checkedEvents.OfType<TaskFinished>().Single(e => e.Task == "Checked[1]");
        Assert.Equal((TaskState.Failed, true), (refused.State, refused.FailureKept));
        Assert.Equal(typeof(ArgumentException).FullName, checkedRun.Tasks.Single(t => t.Name == "Checked[1]").ExceptionType);
        Assert.Single(checkedEvents, e => e is MapExpanded { Node: "Checked", Count: 3 });
        Assert.Single(checkedEvents, e => e is MapFinished { Node: "Checked", State: TaskState.Succeeded });
    }
}
