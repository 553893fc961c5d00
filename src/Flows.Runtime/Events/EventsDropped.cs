namespace Flows;

/// <summary>
/// Listeners fell behind by more than <see cref="FlowRunOptions.EventBufferCapacity"/> events, and
/// <see cref="Count"/> events were dropped rather than slow the run. Delivered when the listeners
/// have read the events kept before them. <see cref="FlowFinished"/> is never dropped, and its
/// <see cref="FlowFinished.Run"/> holds every task's final record.
/// </summary>
public sealed class EventsDropped : FlowEvent
{
    internal EventsDropped(string runId, string flowName, long timestamp, long count)
        : base(runId, flowName, timestamp)
    {
        Count = count;
    }

    /// <summary>How many events were dropped since the previous <see cref="EventsDropped"/>.</summary>
    public long Count { get; }
}
