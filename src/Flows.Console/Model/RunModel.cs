using Flows.Graph;

namespace Flows.Console.Model;

/// <summary>
/// One run as the display sees it: a <see cref="NodeProgress"/> per node of the graph that runs code
/// (subflows' nodes after their subflow), changed by the events in O(1) each. The event thread changes
/// it and the render loop reads it, both under <see cref="Gate"/>.
/// </summary>
internal sealed class RunModel
{
    private readonly List<NodeProgress> _nodes = [];
    private readonly Dictionary<string, NodeProgress> _byName = new(StringComparer.Ordinal);

    // The top-level flow's nodes, each with its index in the graph: what Poll reads the live run by.
    private readonly List<NodeProgress> _top = [];
    private readonly LiveRun _live;

    // The node of the previous event: a map's element events name it with the very same string.
    private string? _lastName;
    private NodeProgress? _last;

    public RunModel(FlowStarted started)
    {
        RunId = started.RunId;
        FlowName = started.FlowName;
        Start = started.Time;
        Resumed = started.Resumed;
        _live = started.Live;
        Add(started.Graph, string.Empty, 0, null, _top);
    }

    public Lock Gate { get; } = new();

    public string RunId { get; }

    public string FlowName { get; }

    public DateTimeOffset Start { get; }

    public bool Resumed { get; }

    /// <summary>The nodes in graph order, each subflow's own right after it.</summary>
    public IReadOnlyList<NodeProgress> Nodes => _nodes;

    /// <summary>Events dropped because the listeners fell behind: the counts shown may be behind by as many.</summary>
    public long Dropped { get; private set; }

    /// <summary>The run's record once it ended; null while it runs.</summary>
    public FlowRun? Outcome { get; set; }

    /// <summary>The node the last event applied was about.</summary>
    public NodeProgress? LastNode => _last;

    /// <summary>The node named <paramref name="name"/>, or null.</summary>
    public NodeProgress? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Applies one event of this run (not <see cref="FlowStarted"/> nor <see cref="FlowFinished"/>).</summary>
    public ProgressChange Apply(FlowEvent flowEvent)
    {
        switch (flowEvent)
        {
            case TaskStarted started:
                var startedNode = NodeOf(started.Node, started.Element >= 0 ? FlowNodeKind.Map : FlowNodeKind.Task);
                if (started.Element >= 0)
                {
                    startedNode.ElementStarted(started.Element, started.Time);
                }
                else
                {
                    startedNode.State = TaskState.Running;
                    startedNode.Attempts = started.Attempt;
                    startedNode.Started ??= started.Time;
                }

                return ProgressChange.None;

            case TaskFinished finished:
                return Finished(finished);

            case TaskRetrying retrying:
                var retryingNode = NodeOf(retrying.Node, retrying.Element >= 0 ? FlowNodeKind.Map : FlowNodeKind.Task);
                if (retrying.Element >= 0)
                {
                    retryingNode.ElementRetrying(retrying.Element);
                }
                else
                {
                    retryingNode.TaskRetrying();
                }

                return ProgressChange.Retrying;

            case MapExpanded expanded:
                NodeOf(expanded.Node, FlowNodeKind.Map).Expanded(expanded.Count, expanded.Time);
                return ProgressChange.None;

            case MapFinished mapFinished:
                return End(NodeOf(mapFinished.Node, FlowNodeKind.Map), mapFinished.State, mapFinished.Error, mapFinished.Time);

            case SubflowStarted subflowStarted:
                var subflow = NodeOf(subflowStarted.Node, FlowNodeKind.Subflow);
                subflow.State = TaskState.Running;
                subflow.Started ??= subflowStarted.Time;
                return ProgressChange.None;

            case SubflowFinished subflowFinished:
                return End(NodeOf(subflowFinished.Node, FlowNodeKind.Subflow), subflowFinished.State, subflowFinished.Error, subflowFinished.Time);

            case EventsDropped dropped:
                var first = Dropped == 0;
                Dropped += dropped.Count;
                return first ? ProgressChange.FirstDrop : ProgressChange.None;

            default:
                return ProgressChange.None;
        }
    }

    private ProgressChange Finished(TaskFinished finished)
    {
        if (finished.Element >= 0)
        {
            var map = NodeOf(finished.Node, FlowNodeKind.Map);
            var change = map.ElementFinished(finished.Element, finished.State, finished.Attempts) ? ProgressChange.Milestone : ProgressChange.None;
            return ProgressText.IsFailure(finished.State) ? change | ProgressChange.ElementFailed : change;
        }

        var node = NodeOf(finished.Node, FlowNodeKind.Task);
        node.Attempts = finished.Attempts;
        node.Duration = finished.Duration;
        node.SkipReason = finished.SkipReason;
        node.Restored = finished.Restored;
        node.Started ??= finished.Attempts > 0 ? finished.Time - finished.Duration : null;
        return End(node, finished.State, finished.Error, finished.Time);
    }

    private static ProgressChange End(NodeProgress node, TaskState state, Exception? error, DateTimeOffset time)
    {
        node.State = state;
        node.Error = error;
        node.Ended = time;
        return ProgressChange.NodeEnded;
    }

    private NodeProgress NodeOf(string name, FlowNodeKind kind)
    {
        if (ReferenceEquals(name, _lastName))
        {
            return _last!;
        }

        if (!_byName.TryGetValue(name, out var node))
        {
            // Not in the graph the run started with (which always names every node): kept all the same.
            node = new NodeProgress(name, kind, name.Count(c => c == '/'), null, keepsFailures: false);
            _nodes.Add(node);
            _byName.Add(name, node);
        }

        _lastName = name;
        _last = node;
        return node;
    }

    /// <summary>
    /// Brings every node up to date from the live run: how the live display learns what succeeded, since
    /// it asks the run only for the events that are news (failures, retries, maps, subflows).
    /// </summary>
    public void Poll() => Poll(_live, _top);

    private static void Poll(LiveRun? live, List<NodeProgress>? level)
    {
        if (live is null || level is null)
        {
            return;
        }

        foreach (var node in level)
        {
            node.Sync(live.NodeState(node.Index));
            if (node.Kind == FlowNodeKind.Subflow)
            {
                Poll(live.Subflow(node.Index), node.Children);
            }
        }
    }

    private void Add(FlowGraph graph, string prefix, int depth, NodeProgress? parent, List<NodeProgress> level)
    {
        for (var index = 0; index < graph.Nodes.Count; index++)
        {
            var node = graph.Nodes[index];
            if (!node.RunsCode)
            {
                continue;
            }

            var progress = new NodeProgress(prefix + node.Name, node.Kind, depth, parent, node.KeepsElementFailures) { Index = index };
            if (!_byName.TryAdd(progress.Name, progress))
            {
                continue;
            }

            _nodes.Add(progress);
            level.Add(progress);
            if (node is { Kind: FlowNodeKind.Subflow, Subflow: { } subflow })
            {
                progress.Children = [];
                Add(subflow, progress.Name + "/", depth + 1, progress, progress.Children);
            }
        }
    }
}
