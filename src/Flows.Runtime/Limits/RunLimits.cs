using System.Runtime.CompilerServices;
using Flows.Graph;

namespace Flows.Limits;

/// <summary>
/// The concurrency limits of one top-level run and its subflows: a slot per task with
/// <c>MaxConcurrency</c> (one for the task wherever the run calls it), a slot per tag of
/// <see cref="FlowRunOptions.TagLimits"/>, and the executor's shared tag slots
/// (<see cref="FlowExecutor.Limits"/>). Made before the run starts, where bad limits are reported;
/// null (<see cref="Create"/>) when no task of the run is limited, so that an unlimited run pays a null test per task run.
/// </summary>
internal sealed class RunLimits
{
    private readonly List<SlotUse> _uses = new();
    private readonly Dictionary<ConcurrencySlot, SlotUse> _useOf = new();
    private readonly Dictionary<TaskDescriptor, SlotUse[]?> _slotsOfTask = new();
    private readonly Dictionary<string, ConcurrencySlot> _taskSlots = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, int>? _runTagLimits;
    private readonly Dictionary<string, ConcurrencySlot> _runTagSlots = new(StringComparer.Ordinal);
    private readonly ConcurrencyLimits? _executorLimits;

    /// <summary>What each graph's tasks (its subflows' included) carry, worked out once per graph, not per run.</summary>
    private static readonly ConditionalWeakTable<FlowGraph, GraphTasks> s_graphTasks = new();

    private RunLimits(ConcurrencyGate gate, IReadOnlyDictionary<string, int>? runTagLimits, ConcurrencyLimits? executorLimits)
    {
        Gate = gate;
        _runTagLimits = runTagLimits;
        _executorLimits = executorLimits;
    }

    /// <summary>Takes and gives back this run's places: the executor's when it has shared limits, so that one lock covers them all.</summary>
    public ConcurrencyGate Gate { get; }

    /// <summary>Set once the run has ended and given back what it held. Guarded by the gate's lock.</summary>
    public bool Ended;

    /// <summary>
    /// The limits of a run of <paramref name="graph"/> on <paramref name="executor"/>, or null when none
    /// of its tasks (subflows included) is limited.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <see cref="FlowRunOptions.TagLimits"/> has a limit below 1, a blank tag, or a tag that no task of the flow carries.
    /// </exception>
    public static RunLimits? Create(FlowGraph graph, FlowExecutor executor, FlowRunOptions? options)
    {
        var runTagLimits = options?.TagLimits;
        var tasks = s_graphTasks.GetValue(graph, static g => new GraphTasks(g));
        if (runTagLimits is { Count: > 0 })
        {
            CheckTagLimits(graph.Name, runTagLimits, tasks.Tags);
        }

        if (tasks.Limitable.Count == 0)
        {
            return null;
        }

        var executorLimits = executor.Limits;
        var limits = new RunLimits(executorLimits?.Gate ?? new ConcurrencyGate(), runTagLimits, executorLimits);
        var any = false;
        foreach (var task in tasks.Limitable)
        {
            // Every task that may be limited is looked up here, once: later lookups (subflows starting on any thread) only read.
            any |= limits.SlotsOf(task) is not null;
        }

        return any ? limits : null;
    }

    /// <summary>
    /// The slots of each node of <paramref name="graph"/> (the run's or a subflow's) by node index: null
    /// for a node whose task is not limited (and for nodes that run no task); null for the whole graph when no node is limited.
    /// </summary>
    public SlotUse[]?[]? SlotsByNode(FlowGraph graph)
    {
        SlotUse[]?[]? byNode = null;
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            if (graph.Nodes[i].Task is { } task && _slotsOfTask.GetValueOrDefault(task) is { } slots)
            {
                (byNode ??= new SlotUse[]?[graph.Nodes.Count])[i] = slots;
            }
        }

        return byNode;
    }

    /// <summary>The run's waiters leave the queues: the run is cancelled and its cancellation finishes their records.</summary>
    public void DropWaiters() => Gate.Drop(this, _uses);

    /// <summary>The run ended: gives back what its task runs still hold; returns the waiters of other runs that now may start.</summary>
    public List<ISlotWaiter>? End() => Gate.EndRun(this, _uses);

    /// <summary>Every slot this run uses (its own and the executor's it names), for tests and messages.</summary>
    internal IReadOnlyList<SlotUse> Uses => _uses;

    private SlotUse[]? SlotsOf(TaskDescriptor task)
    {
        if (_slotsOfTask.TryGetValue(task, out var known))
        {
            return known;
        }

        List<SlotUse>? slots = null;
        if (task.MaxConcurrency > 0)
        {
            if (!_taskSlots.TryGetValue(task.Id, out var slot))
            {
                slot = _taskSlots[task.Id] = new ConcurrencySlot($"MaxConcurrency of task '{task.Name}'", task.MaxConcurrency);
            }

            (slots ??= new()).Add(UseOf(slot));
        }

        foreach (var tag in task.Tags)
        {
            if (_runTagLimits is not null && _runTagLimits.TryGetValue(tag, out var limit))
            {
                if (!_runTagSlots.TryGetValue(tag, out var slot))
                {
                    slot = _runTagSlots[tag] = new ConcurrencySlot($"tag '{tag}'", limit);
                }

                (slots ??= new()).Add(UseOf(slot));
            }

            if (_executorLimits?.SlotOf(tag) is { } shared)
            {
                (slots ??= new()).Add(UseOf(shared));
            }
        }

        var array = slots?.ToArray();
        _slotsOfTask[task] = array;
        return array;
    }

    private SlotUse UseOf(ConcurrencySlot slot)
    {
        if (!_useOf.TryGetValue(slot, out var use))
        {
            use = _useOf[slot] = new SlotUse(slot);
            _uses.Add(use);
        }

        return use;
    }

    /// <summary>The tasks a graph and its subflows (at any depth) call that may be limited, and every tag they carry.</summary>
    private sealed class GraphTasks
    {
        public GraphTasks(FlowGraph graph)
        {
            var seenTasks = new HashSet<TaskDescriptor>();
            var seenGraphs = new HashSet<FlowGraph>();
            var pending = new Stack<FlowGraph>();
            pending.Push(graph);
            while (pending.TryPop(out var next))
            {
                if (!seenGraphs.Add(next))
                {
                    continue;
                }

                foreach (var node in next.Nodes)
                {
                    if (node.Task is { } task && (task.MaxConcurrency > 0 || task.Tags.Count > 0) && seenTasks.Add(task))
                    {
                        Limitable.Add(task);
                        Tags.UnionWith(task.Tags);
                    }
                    else if (node.Subflow is { } child)
                    {
                        pending.Push(child);
                    }
                }
            }
        }

        /// <summary>Tasks with a <c>MaxConcurrency</c> or a tag.</summary>
        public List<TaskDescriptor> Limitable { get; } = new();

        /// <summary>Every tag those tasks carry, in order.</summary>
        public SortedSet<string> Tags { get; } = new(StringComparer.Ordinal);
    }

    private static void CheckTagLimits(string flow, IReadOnlyDictionary<string, int> tagLimits, SortedSet<string> carried)
    {
        foreach (var (tag, limit) in tagLimits)
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                throw new ArgumentException(
                    $"Flow '{flow}': FlowRunOptions.TagLimits has a null, empty or white-space tag; name a tag the flow's tasks carry ([Task(Tags = ...)]).", "options");
            }

            if (limit < 1)
            {
                throw new ArgumentOutOfRangeException(
                    "options", limit, $"Flow '{flow}': FlowRunOptions.TagLimits[\"{tag}\"] is {limit}, but a limit must be 1 or more (0 would never run its tasks); remove the entry for no limit.");
            }

            if (!carried.Contains(tag))
            {
                var known = carried.Count == 0 ? "none of its tasks has a tag" : "its tasks carry " + string.Join(", ", carried.Select(t => "'" + t + "'"));
                throw new ArgumentException(
                    $"Flow '{flow}': FlowRunOptions.TagLimits names tag '{tag}', which no task of the flow or its subflows carries ({known}): correct the tag, or remove the entry. (Limits meant for every flow on an executor go in FlowExecutor.Limits, where other flows' tags are allowed.)", "options");
            }
        }
    }
}
