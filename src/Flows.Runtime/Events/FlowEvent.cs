namespace Flows;

/// <summary>
/// Something that happened in a flow run, as the run's listeners (<see cref="FlowRunOptions.Listeners"/>)
/// see it while the run goes. Match on the concrete type: <see cref="FlowStarted"/>,
/// <see cref="TaskStarted"/>, <see cref="TaskRetrying"/>, <see cref="TaskFinished"/>,
/// <see cref="MapExpanded"/>, <see cref="MapFinished"/>, <see cref="SubflowStarted"/>,
/// <see cref="SubflowFinished"/>, <see cref="EventsDropped"/> and, last, <see cref="FlowFinished"/>.
/// The scheduler raises them the same way on every executor.
/// </summary>
public abstract class FlowEvent
{
    /// <summary>When it happened, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp: cheaper to take than the wall clock.</summary>
    private readonly long _timestamp;

    private protected FlowEvent(string runId, string flowName, long timestamp)
    {
        RunId = runId;
        FlowName = flowName;
        _timestamp = timestamp;
    }

    /// <summary>The run's id (<see cref="FlowRun.RunId"/>).</summary>
    public string RunId { get; }

    /// <summary>The flow that was run (the top-level flow, inside a subflow too).</summary>
    public string FlowName { get; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset Time => EventClock.ToTime(_timestamp);

    /// <summary>
    /// The event's place in the run's stream, from 1, in the order listeners receive the events (a
    /// listener that wants fewer <see cref="IFlowEventListener.Kinds"/> sees gaps). Events of one task run
    /// come in the order they happened; events of tasks that ran at the same time interleave.
    /// </summary>
    public long Sequence { get; internal set; }

    /// <summary>Which <see cref="FlowEventKinds"/> it is; <see cref="FlowEventKinds.None"/> for the events every listener gets.</summary>
    internal virtual FlowEventKinds Kind => FlowEventKinds.None;
}
