namespace Flows;

/// <summary>A subflow node started its own graph; its tasks' events name their nodes <c>Node/...</c>.</summary>
public sealed class SubflowStarted : FlowEvent
{
    internal SubflowStarted(string runId, string flowName, long timestamp, string node, Graph.FlowGraph subflow)
        : base(runId, flowName, timestamp)
    {
        Node = node;
        Subflow = subflow;
    }

    /// <summary>The subflow node's name (after its parent's <c>Subflow/</c> when nested).</summary>
    public string Node { get; }

    /// <summary>The subflow's graph.</summary>
    public Graph.FlowGraph Subflow { get; }

    internal override FlowEventKinds Kind => FlowEventKinds.Subflows;
}
