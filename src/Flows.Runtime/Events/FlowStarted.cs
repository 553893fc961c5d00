using Flows.Graph;

namespace Flows;

/// <summary>A run started: the first event of every run.</summary>
public sealed class FlowStarted : FlowEvent
{
    internal FlowStarted(string runId, FlowGraph graph, long timestamp, bool resumed, LiveRun live)
        : base(runId, graph.Name, timestamp)
    {
        Graph = graph;
        Resumed = resumed;
        Live = live;
    }

    /// <summary>The flow's graph: its nodes, for a display that shows a line per node before they run.</summary>
    public FlowGraph Graph { get; }

    /// <summary>
    /// The run's state at any moment, for a display that polls it at its refresh (and wants only the
    /// events that are news: failures and retries) instead of counting every task run's events.
    /// </summary>
    public LiveRun Live { get; }

    /// <summary>Whether the run is a resume (<c>ResumeAsync</c>) of a stored run.</summary>
    public bool Resumed { get; }
}
