namespace Flows;

/// <summary>A mapped node read its collection: <see cref="Count"/> task runs, one per element, follow.</summary>
public sealed class MapExpanded : FlowEvent
{
    internal MapExpanded(string runId, string flowName, long timestamp, string node, int count)
        : base(runId, flowName, timestamp)
    {
        Node = node;
        Count = count;
    }

    /// <summary>The mapped node's name (after <c>Subflow/</c> inside a subflow).</summary>
    public string Node { get; }

    /// <summary>How many elements the collection had.</summary>
    public int Count { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.Maps;
}
