using Flows.Graph;

namespace Flows.Console.Model;

/// <summary>
/// Where one node of the run stands (a task, a map, a subflow), as the events told it. Changed and
/// read only under <see cref="RunModel.Gate"/>; every change is O(1).
/// </summary>
internal sealed class NodeProgress
{
    private const byte PendingElement = 0;
    private const byte RunningElement = 1;
    private const byte RetryingElement = 2;
    private const byte EndedElement = 3;

    // Smaller maps are told by their end alone: a quarter of them is hardly more than an element.
    private const int MilestoneMapSize = 8;

    // One byte per element of a map, so that a retry or a finish is counted once, in the right column.
    private byte[]? _elements;

    // The next quarter of a map's elements whose end the plain lines tell (1 to 3).
    private int _nextMilestone = 1;

    // Made when first shown: a fanout of ten thousand tasks shows thirty.
    private string? _label;

    public NodeProgress(string name, FlowNodeKind kind, int depth, NodeProgress? parent, bool keepsFailures)
    {
        Name = name;
        Kind = kind;
        Depth = depth;
        Parent = parent;
        KeepsFailures = keepsFailures;
    }

    /// <summary>The node's name as events and task runs give it (<c>Child/Parse</c> inside a subflow).</summary>
    public string Name { get; }

    /// <summary>The node's index in its graph (the flow's, or its subflow's): how the live run names it.</summary>
    public int Index { get; init; } = -1;

    /// <summary>A subflow's own nodes; null for other nodes.</summary>
    public List<NodeProgress>? Children { get; set; }

    /// <summary>The name within its own flow (<c>Parse</c>).</summary>
    public string Label => _label ??= Name[(Name.LastIndexOf('/') + 1)..];

    public FlowNodeKind Kind { get; }

    /// <summary>How many subflows the node is inside.</summary>
    public int Depth { get; }

    /// <summary>The subflow node it is inside, or null.</summary>
    public NodeProgress? Parent { get; }

    /// <summary>A <c>Flow.TryMap</c>: its elements' failures are kept as outcomes and fail nothing.</summary>
    public bool KeepsFailures { get; }

    public TaskState State { get; set; } = TaskState.Pending;

    public int Attempts { get; set; }

    /// <summary>When the node began: its first attempt, the map's expansion, the subflow's start.</summary>
    public DateTimeOffset? Started { get; set; }

    /// <summary>When it reached its final state.</summary>
    public DateTimeOffset? Ended { get; set; }

    /// <summary>A task's own duration, as its record gives it.</summary>
    public TimeSpan? Duration { get; set; }

    public Exception? Error { get; set; }

    public string? SkipReason { get; set; }

    public bool Restored { get; set; }

    /// <summary>How many elements a map has; -1 until its expansion is known.</summary>
    public int Total { get; private set; } = -1;

    public int Running { get; private set; }

    public int RetryWaits { get; private set; }

    public int Succeeded { get; private set; }

    public int Cached { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    public int Cancelled { get; private set; }

    /// <summary>Retries counted so far (of the task, or of all the map's elements).</summary>
    public int Retries { get; private set; }

    /// <summary>Elements that reached a final state.</summary>
    public int EndedCount => Succeeded + Cached + Failed + Skipped + Cancelled;

    public bool IsFinal => ProgressText.IsFinal(State);

    /// <summary>A map's collection was read: <paramref name="count"/> elements follow.</summary>
    public void Expanded(int count, DateTimeOffset time)
    {
        Total = count;
        Started ??= time;
        if (_elements is null || _elements.Length < count)
        {
            var elements = new byte[count];
            _elements?.CopyTo(elements, 0);
            _elements = elements;
        }

        if (State == TaskState.Pending)
        {
            State = TaskState.Running;
        }
    }

    public void ElementStarted(int element, DateTimeOffset time)
    {
        ref var state = ref ElementState(element);
        switch (state)
        {
            case RunningElement or EndedElement:
                return;
            case RetryingElement:
                RetryWaits--;
                break;
        }

        state = RunningElement;
        Running++;
        Started ??= time;
        if (State == TaskState.Pending)
        {
            State = TaskState.Running;
        }
    }

    public void ElementRetrying(int element)
    {
        Retries++;
        ref var state = ref ElementState(element);
        switch (state)
        {
            case RetryingElement or EndedElement:
                return;
            case RunningElement:
                Running--;
                break;
        }

        state = RetryingElement;
        RetryWaits++;
    }

    /// <summary>An element ended; true when that end passes a quarter of the elements of a map of eight or more (not the last one).</summary>
    public bool ElementFinished(int element, TaskState final, int attempts)
    {
        ref var state = ref ElementState(element);
        switch (state)
        {
            case EndedElement:
                return false;
            case RunningElement:
                Running--;
                break;
            case RetryingElement:
                RetryWaits--;
                break;
        }

        state = EndedElement;
        Attempts += attempts;
        switch (final)
        {
            case TaskState.Succeeded:
                Succeeded++;
                break;
            case TaskState.Cached:
                Cached++;
                break;
            case TaskState.Skipped:
                Skipped++;
                break;
            case TaskState.Cancelled:
                Cancelled++;
                break;
            default:
                Failed++;
                break;
        }

        if (Total < MilestoneMapSize)
        {
            return false;
        }

        var ended = (long)EndedCount;
        var passed = false;
        while (_nextMilestone <= 3 && ended * 4 >= (long)_nextMilestone * Total)
        {
            _nextMilestone++;
            passed = true;
        }

        return passed && ended < Total;
    }

    /// <summary>Takes what the live run says of this node: counts, attempts, state, times.</summary>
    public void Sync(in LiveNodeState live)
    {
        if (live.State == TaskState.Pending)
        {
            return;
        }

        Attempts = live.Attempts;
        Started ??= live.Started;
        if (Kind == FlowNodeKind.Map && live.Elements >= 0)
        {
            Total = live.Elements;
            Running = live.Running;
            RetryWaits = live.Retrying;
            Succeeded = live.Succeeded;
            Cached = live.Cached;
            Failed = live.Failed;
            Skipped = live.Skipped;
            Cancelled = live.Cancelled;
        }

        if (!IsFinal)
        {
            // A final state an event told keeps its error and skip reason; a success is told by this.
            State = live.State;
            if (IsFinal)
            {
                Duration ??= live.Duration;
                Ended ??= Started + live.Duration;
            }
        }
    }

    public void TaskRetrying()
    {
        Retries++;
        State = TaskState.Retrying;
    }

    private ref byte ElementState(int element)
    {
        if (_elements is null || element >= _elements.Length)
        {
            // The map's expansion was not seen (dropped events): grow as elements show up.
            var elements = new byte[Math.Max(element + 1, (_elements?.Length ?? 8) * 2)];
            _elements?.CopyTo(elements, 0);
            _elements = elements;
        }

        return ref _elements[element];
    }
}
