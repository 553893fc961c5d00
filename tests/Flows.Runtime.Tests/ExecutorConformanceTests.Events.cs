using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;
using Flows.Graph;
using C = Flows.Runtime.Tests.ConformanceTasks;

namespace Flows.Runtime.Tests;

/// <summary>The run's live events and the Flows meter: the scheduler raises them, so every executor must give the same.</summary>
public abstract partial class ExecutorConformanceTests
{
    /// <summary>A subflow, a task retried twice, a map with a failing element and what it skips.</summary>
    private FlowGraph WatchedGraph(string name)
    {
        var child = new TestGraph("watched-child", "x");
        var childGraph = child.Build(child.Task(Tasks.Inc, child.P(0)));
        var g = new TestGraph(name, "x", "xs");
        var sub = g.Subflow("Child", childGraph, g.P(0));
        var flaky = g.Task(C.Flaky, sub, g.Constant(Dir));
        var mapped = g.Map(C.Picky, MapAdapter<int, int>.Instance, g.P(1));
        g.Task(C.Sum, mapped);
        return g.Build(g.Task(Tasks.Inc, flaky));
    }

    [Fact]
    public async Task Events_tell_each_task_run_in_order_with_its_retries_and_skips()
    {
        var events = new RecordedEvents();
        var graph = WatchedGraph("watched");
        var run = await Run<int>(graph, Executor(), new object?[] { 1, new[] { 0, 1, 2, 3, 4 } }, options: new FlowRunOptions { Listeners = [events] });
        Assert.Equal(FlowState.Failed, run.State);

        var all = events.All;
        Assert.Same(graph, Assert.IsType<FlowStarted>(all[0]).Graph);
        var finished = Assert.IsType<FlowFinished>(all[^1]);
        Assert.Same(run, finished.Run);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.All(all, e => Assert.Equal(run.RunId, e.RunId));
        Assert.All(all, e => Assert.Equal("watched", e.FlowName));
        Assert.DoesNotContain(all, e => e is EventsDropped);

        var stories = events.Stories();
        Assert.Equal(["start 1", "end Succeeded 1"], stories["Child/Inc"]);
        Assert.Equal(["start 1", "retry 1 Failed", "start 2", "retry 2 Failed", "start 3", "end Succeeded 3"], stories["Flaky"]);
        Assert.Equal(["start 1", "end Succeeded 1"], stories["Inc"]);
        Assert.Equal(["end Skipped 0"], stories["Sum"]);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(["start 1", i == 3 ? "end Failed 1" : "end Succeeded 1"], stories[$"Picky[{i}]"]);
        }

        // Each finished event says what the run's record says, exception type included.
        var ends = all.OfType<TaskFinished>().ToDictionary(e => e.Task);
        Assert.Equal(run.Tasks.Select(t => t.Name).Order(StringComparer.Ordinal), ends.Keys.Order(StringComparer.Ordinal));
        foreach (var record in run.Tasks)
        {
            var end = ends[record.Name];
            Assert.Equal((record.State, record.Attempts, record.Duration, record.SkipReason, record.ExceptionType), (end.State, end.Attempts, end.Duration, end.SkipReason, end.Error is null ? null : ExceptionNames.OriginalType(end.Error)));
            Assert.Equal(record.TaskId, end.TaskId);
        }

        Assert.Equal(TaskRun.UpstreamDidNotSucceed, ends["Sum"].SkipReason);
        var retry = all.OfType<TaskRetrying>().First();
        Assert.Equal(typeof(IOException).FullName, ExceptionNames.OriginalType(retry.Error!));

        // A map says how many elements it has before any runs, and ends after the last one.
        var expanded = events.IndexOf(e => e is MapExpanded { Node: "Picky", Count: 5 }, "MapExpanded Picky 5");
        Assert.True(expanded < events.IndexOf(e => e is TaskStarted { Node: "Picky" }, "TaskStarted Picky[i]"));
        var mapEnd = events.IndexOf(e => e is MapFinished { Node: "Picky", State: TaskState.Failed }, "MapFinished Picky Failed");
        Assert.True(mapEnd > all.Select((e, i) => (e, i)).Where(x => x.e is TaskFinished { Node: "Picky" }).Max(x => x.i));

        // A subflow's tasks come between its start and its end.
        var subStart = events.IndexOf(e => e is SubflowStarted { Node: "Child" }, "SubflowStarted Child");
        var subEnd = events.IndexOf(e => e is SubflowFinished { Node: "Child", State: TaskState.Succeeded }, "SubflowFinished Child");
        var inner = events.IndexOf(e => e is TaskFinished { Task: "Child/Inc" }, "TaskFinished Child/Inc");
        Assert.True(subStart < inner && inner < subEnd);
    }

    [Fact]
    public async Task Events_tell_a_timeout()
    {
        var events = new RecordedEvents();
        var g = new TestGraph("watched-timeout");
        var slow = g.Task(C.Slow);
        var run = await Run<int>(g.Build(g.Task(Tasks.Inc, slow)), Executor(), Array.Empty<object?>(), options: new FlowRunOptions { Listeners = [events] });

        Assert.Equal(FlowState.Failed, run.State);
        Assert.Equal(["start 1", "end TimedOut 1"], events.Stories()["Slow"]);
        Assert.IsType<TaskTimedOutException>(events.All.OfType<TaskFinished>().Single(e => e.Task == "Slow").Error);
        Assert.Equal(FlowState.Failed, Assert.IsType<FlowFinished>(events.All[^1]).State);
    }

    [Fact]
    public async Task The_hooks_are_called_once_for_what_they_name()
    {
        var failed = new List<string>();
        var retrying = new List<string>();
        var flowsFailed = 0;
        var flowsFinished = 0;
        var options = new FlowRunOptions
        {
            Listeners =
            [
                FlowListener.OnTaskFailed(e => failed.Add(e.Task + " " + e.State)),
                FlowListener.OnTaskRetrying(e => retrying.Add(e.Task + " " + e.Attempt)),
                FlowListener.OnFlowFailed(_ => flowsFailed++),
                FlowListener.OnFlowFinished(_ => flowsFinished++),
            ],
        };

        var run = await Run<int>(WatchedGraph("hooked"), Executor(), new object?[] { 1, new[] { 0, 3 } }, options: options);

        Assert.Equal(FlowState.Failed, run.State);
        Assert.Equal(["Picky[1] Failed"], failed);
        Assert.Equal(["Flaky 1", "Flaky 2"], retrying);
        Assert.Equal((1, 1), (flowsFailed, flowsFinished));
    }

    [Fact]
    public async Task The_Flows_meter_counts_task_runs_by_node_and_state_and_the_run()
    {
        var name = "metered-" + Guid.NewGuid().ToString("N");
        var seen = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == FlowMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var bag = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                bag[tag.Key] = tag.Value;
            }

            if ((string?)bag.GetValueOrDefault("flows.flow") == name)
            {
                lock (seen)
                {
                    seen.Add((instrument.Name, value, bag));
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var executor = Executor();
        var run = await Run<int>(WatchedGraph(name), executor, new object?[] { 1, new[] { 0, 1, 2, 3, 4 } });
        Assert.Equal(FlowState.Failed, run.State);
        listener.Dispose();

        List<(string Instrument, double Value, Dictionary<string, object?> Tags)> mine;
        lock (seen)
        {
            mine = seen.ToList();
        }

        double Sum(string instrument, string? task = null, string? state = null) => mine
            .Where(m => m.Instrument == instrument
                && (task is null || (string?)m.Tags.GetValueOrDefault("flows.task") == task)
                && (state is null || (string?)m.Tags.GetValueOrDefault("flows.state") == state))
            .Sum(m => m.Value);

        // Map elements are counted under their node, never under an index.
        Assert.Equal(4, Sum("flows.task.runs", "Picky", "Succeeded"));
        Assert.Equal(1, Sum("flows.task.runs", "Picky", "Failed"));
        Assert.Equal(1, Sum("flows.task.runs", "Sum", "Skipped"));
        Assert.Equal(1, Sum("flows.task.runs", "Child/Inc", "Succeeded"));
        Assert.DoesNotContain(mine, m => ((string?)m.Tags.GetValueOrDefault("flows.task"))?.Contains('[', StringComparison.Ordinal) == true);
        Assert.Equal(3, Sum("flows.task.attempts", "Flaky"));
        Assert.Equal(0, Sum("flows.task.active"));
        Assert.Equal(mine.Count(m => m.Instrument == "flows.task.active" && m.Value > 0), Sum("flows.task.attempts"));
        Assert.Equal(8, mine.Count(m => m.Instrument == "flows.task.duration"));
        Assert.Equal(1, Sum("flows.flow.runs", state: "Failed"));
        Assert.All(mine, m => Assert.Equal(executor.Name, m.Tags["flows.executor"]));
    }

    [Fact]
    public async Task A_run_nobody_listens_to_makes_no_event_and_a_listener_that_throws_is_dropped_alone()
    {
        var events = new RecordedEvents();
        var thrower = FlowListener.Create(e =>
        {
            if (e is TaskFinished)
            {
                throw new InvalidOperationException("listener bug");
            }
        });
        var logs = new ListLoggerProvider();
        using var factory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(logs));
        var g = new TestGraph("watched-throwing", "x");
        var run = await Run<int>(g.Build(g.Task(Tasks.Inc, g.Task(Tasks.Inc, g.P(0)))), Executor(), new object?[] { 1 }, options: new FlowRunOptions { Listeners = [thrower, events], LoggerFactory = factory });

        Assert.Equal(3, run.Result);
        Assert.IsType<FlowFinished>(events.All[^1]);
        Assert.Equal(2, events.All.OfType<TaskFinished>().Count());
        Assert.Contains(logs.Lines.Select(l => l.Message), m => m.Contains("event listener", StringComparison.Ordinal) && m.Contains("TaskFinished", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_listener_that_wants_only_failures_gets_only_those_and_the_live_run_tells_the_rest()
    {
        var failuresOnly = new KindsListener(FlowEventKinds.TaskNotSucceeded);
        var everything = new RecordedEvents();
        LiveRun? live = null;
        var graph = WatchedGraph("watched-kinds");
        var run = await Run<int>(graph, Executor(), new object?[] { 1, new[] { 0, 1, 2, 3, 4 } }, options: new FlowRunOptions
        {
            Listeners = [failuresOnly, everything, FlowListener.Create(e => live ??= (e as FlowStarted)?.Live)],
        });
        Assert.Equal(FlowState.Failed, run.State);

        // Only the start, the end and the task runs that did not succeed: Picky[3] failed, Sum skipped.
        var received = failuresOnly.Received;
        Assert.IsType<FlowStarted>(received[0]);
        Assert.IsType<FlowFinished>(received[^1]);
        Assert.Equal(
            ["Picky[3] Failed", "Sum Skipped"],
            received.Skip(1).SkipLast(1).Select(e => e is TaskFinished f ? $"{f.Task} {f.State}" : e.GetType().Name).Order(StringComparer.Ordinal));
        Assert.True(everything.All.Count > failuresOnly.Received.Count);

        // What no event told is there to read: every node's final state and a map's counts.
        Assert.NotNull(live);
        var nodes = graph.Nodes.Select((n, i) => (n.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var picky = live!.NodeState(nodes["Picky"]);
        Assert.Equal((TaskState.Failed, 5, 4, 1, 5, 0), (picky.State, picky.Elements, picky.Succeeded, picky.Failed, picky.Ended, picky.Running));
        var flaky = live.NodeState(nodes["Flaky"]);
        Assert.Equal((TaskState.Succeeded, 3, -1), (flaky.State, flaky.Attempts, flaky.Elements));
        Assert.NotNull(flaky.Started);
        Assert.Equal(TaskState.Skipped, live.NodeState(nodes["Sum"]).State);
        var child = live.Subflow(nodes["Child"]);
        Assert.NotNull(child);
        Assert.Equal(TaskState.Succeeded, child!.NodeState(0).State);
        Assert.Null(live.Subflow(nodes["Flaky"]));
    }

    private sealed class KindsListener(FlowEventKinds kinds) : IFlowEventListener
    {
        public List<FlowEvent> Received { get; } = new();

        public FlowEventKinds Kinds => kinds;

        public void OnEvent(FlowEvent flowEvent) => Received.Add(flowEvent);
    }
}
