using Flows.Graph;

namespace Flows;

/// <summary>
/// What the run tells its listeners (<see cref="EventSink"/>) and the <c>Flows</c> meter
/// (<see cref="FlowMetrics"/>). Each call costs a null test and a flag test when nobody listens.
/// </summary>
internal sealed partial class FlowRunState
{
    /// <summary>The run's event stream, shared with its subflows; null when nobody listens.</summary>
    public EventSink? Events { get; private init; }

    /// <summary>
    /// Whether anyone watches the run: listeners, or a listener of the <c>Flows</c> meter when the run
    /// started (a meter listener that subscribes later sees the runs that start after it). Read once per
    /// task run; a run nobody watches does nothing else for events or metrics.
    /// </summary>
    public bool Observed { get; private init; }

    /// <summary>The executor's name (<see cref="FlowExecutor.Name"/>): the metrics' executor tag.</summary>
    public string ExecutorName { get; private init; } = string.Empty;

    /// <summary>The top-level flow's name, which events and metrics of a subflow's tasks carry too.</summary>
    public string TopFlowName { get; private init; } = string.Empty;

    /// <summary>What <see cref="FlowStarted.Live"/> reads (made when first asked for).</summary>
    public LiveRun Live => _live ?? Interlocked.CompareExchange(ref _live, new LiveRun(this), null) ?? _live;

    /// <summary>Node <paramref name="index"/>'s run.</summary>
    internal NodeRun NodeAt(int index) => _nodes[index];

    /// <summary>The run's event stream when some listener wants <paramref name="kind"/>, else null.</summary>
    private EventSink? Wanted(FlowEventKinds kind) => Events is { } events && events.Wants(kind) ? events : null;

    /// <summary>The node's name as events name it: after its subflow's path.</summary>
    private string EventNode(NodeRun node) => NamePrefix + node.Node.Name;

    private void RaiseFlowStarted(bool resumed) =>
        Events?.Publish(new FlowStarted(RunId, Graph, _startTimestamp, resumed, Live));

    private void RaiseMapExpanded(NodeRun node, int count) =>
        Wanted(FlowEventKinds.Maps)?.Publish(new MapExpanded(RunId, TopFlowName, EventClock.Now, EventNode(node), count));

    private void RaiseSubflowStarted(NodeRun node) =>
        Wanted(FlowEventKinds.Subflows)?.Publish(new SubflowStarted(RunId, TopFlowName, EventClock.Now, EventNode(node), node.Node.Subflow!));

    /// <summary>A node reached its terminal state: a task run's end, or a map's or a subflow's.</summary>
    private void RaiseNodeFinished(NodeRun node, Exception? error)
    {
        switch (node.Node.Kind)
        {
            case FlowNodeKind.Task:
                RaiseTaskFinished(node, -1, ref node.Stats);
                break;
            case FlowNodeKind.Map:
                Wanted(FlowEventKinds.Maps)?.Publish(new MapFinished(RunId, TopFlowName, EventClock.Now, EventNode(node), node.State, error));
                break;
            case FlowNodeKind.Subflow:
                Wanted(FlowEventKinds.Subflows)?.Publish(new SubflowFinished(RunId, TopFlowName, EventClock.Now, EventNode(node), node.State, error));
                break;
        }
    }

    /// <summary>A task run (task node, or element <paramref name="element"/> of a map) reached its terminal state.</summary>
    private void RaiseTaskFinished(NodeRun node, int element, ref TaskStats stats)
    {
        var state = TaskStats.Reported(ref stats);

        var events = Wanted(TaskFinished.KindOf(state));
        if (events is null && !FlowMetrics.MeasuresTaskRuns)
        {
            return;
        }

        var duration = TaskStats.DurationOf(ref stats);
        var name = EventNode(node);
        if (FlowMetrics.MeasuresTaskRuns)
        {
            FlowMetrics.TaskRunEnded(TopFlowName, name, ExecutorName, state, stats.Attempts > 0, duration);
        }

        if (events is null)
        {
            return;
        }

        var ended = stats.LastEnd != 0 ? stats.LastEnd : EventClock.Now;
        events.Publish(new TaskFinished(RunId, TopFlowName, ended, name, element, node.Node.Task!.Id, state, stats.Attempts, duration, stats.Error)
        {
            Restored = stats.Origin == TaskOrigin.Restored,
            SkipReason = state != TaskState.Skipped ? null
                : element < 0 && node.SkipReason == SkipReason.BranchNotTaken ? TaskRun.BranchNotTaken : TaskRun.UpstreamDidNotSucceed,
            FailureKept = element >= 0 && node.Node.KeepsElementFailures && TaskStats.IsFailure((int)state),
        });
    }

    /// <summary>An attempt was handed to its executor at <paramref name="timestamp"/> (0: now).</summary>
    /// <remarks>
    /// Events reuse the timestamps the scheduler takes anyway (a task run's first start and last end):
    /// on some machines reading the clock costs a hundred nanoseconds, as much as scheduling a task.
    /// </remarks>
    internal void RaiseAttemptStarted(TaskAttempt attempt, NodeRun node, long timestamp)
    {
        var events = Wanted(FlowEventKinds.TaskStarted);
        if (events is null && !FlowMetrics.MeasuresAttempts)
        {
            return;
        }

        if (timestamp == 0)
        {
            timestamp = EventClock.Now;
        }

        FlowMetrics.AttemptStarted(TopFlowName, EventNode(node), ExecutorName);
        events?.Publish(new TaskStarted(RunId, TopFlowName, timestamp, EventNode(node), attempt.ElementIndex, attempt.Task.Id, attempt.Number));
    }

    /// <summary>An attempt settled; <paramref name="retryDelay"/> is set when the task is tried again.</summary>
    internal void RaiseAttemptSettled(TaskAttempt attempt, NodeRun node, TaskState outcome, Exception? error, TimeSpan? retryDelay)
    {
        if (Events is null && !FlowMetrics.MeasuresAttempts)
        {
            return;
        }

        FlowMetrics.AttemptSettled(TopFlowName, EventNode(node), ExecutorName, outcome);
        if (retryDelay is { } delay)
        {
            Wanted(FlowEventKinds.TaskRetrying)?.Publish(new TaskRetrying(RunId, TopFlowName, EventClock.Now, EventNode(node), attempt.ElementIndex, attempt.Task.Id, attempt.Number, outcome, error, delay));
        }
    }

    /// <summary>The run's record is made: the last event, delivered before <c>RunAsync</c> returns; and the run's metrics.</summary>
    public Task FinishEventsAsync(FlowRun run)
    {
        FlowMetrics.FlowRunEnded(FlowName, ExecutorName, run.State, run.Duration, run.BytesMoved);
        return Events?.FinishAsync(new FlowFinished(run, EventClock.Now)) ?? Task.CompletedTask;
    }
}
