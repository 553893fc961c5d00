using System.Diagnostics;
using Flows.Graph;
using Flows.Limits;
using Flows.Storage;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>
/// The scheduler of one flow run. It owns every state change: which nodes are ready, retries,
/// timeouts, cancellation, skipping downstream of a failure, and the result. Executors only run
/// the attempts it hands to their <see cref="WorkDispatcher"/>.
/// </summary>
/// <remarks>
/// Lock-free: each node counts its unfinished upstream nodes and becomes ready when the count
/// reaches zero; every terminal change is a compare-and-swap on the record's state, so a late
/// completion (an abandoned attempt, a task finishing after cancellation) can never overwrite it.
/// </remarks>
internal sealed partial class FlowRunState
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly NodeRun[] _nodes;

    /// <summary>The graph's <see cref="FlowGraph.Plain"/>, read on every release.</summary>
    private readonly bool[] _plain;
    private readonly long _startTimestamp;
    private CancellationTokenRegistration _cancelRegistration;
    private Activity? _activity;
    /// <summary>Sinks not yet finished (one atomic per sink, not per node: see <see cref="FlowGraph.SinkCount"/>).</summary>
    private int _remaining;
    private int _failed;
    private int _cancelled;
    private int _anyCancelled;
    private long _endTimestamp;
    private TaskRunList? _taskRuns;
    private LiveRun? _live;

    /// <summary>The slots of each limited node by index; null when no node of this graph is limited (the one test an unlimited run pays).</summary>
    private readonly SlotUse[]?[]? _slotsByNode;

    private FlowRunState(FlowGraph graph, WorkDispatcher dispatcher, int parallelism, object?[] arguments, ILogger? logger, string namePrefix, RunWatchdog? watchdog, CancellationToken token, RunTraffic? traffic = null, RunStore? store = null, RunLimits? limits = null, int? chainWindow = null)
    {
        Store = store;
        Limits = limits;
        _slotsByNode = limits?.SlotsByNode(graph);
        Watchdog = watchdog;
        Traffic = traffic ?? new RunTraffic();
        Parallelism = parallelism;
        MapWindow = Math.Max(1024, 64 * parallelism);
        ChainWindow = chainWindow ?? DefaultChainWindow(parallelism);
        Graph = graph;
        Dispatcher = dispatcher;
        Logger = logger;
        NamePrefix = namePrefix;
        Token = token;
        Slots = new object?[graph.SlotCount];
        Array.Copy(arguments, Slots, arguments.Length);
        Array.Copy(graph.Constants, 0, Slots, arguments.Length, graph.Constants.Length);
        _nodes = new NodeRun[graph.Nodes.Count];
        _plain = graph.Plain;
        var counts = graph.DependencyCounts;
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new NodeRun(this, i, graph.Nodes[i], counts[i]);
        }

        _remaining = graph.SinkCount;
        _startTimestamp = Stopwatch.GetTimestamp();
        StartTime = DateTimeOffset.UtcNow;
    }

    public FlowGraph Graph { get; }

    /// <summary>The run's concurrency limits, shared with its subflows; null when no task is limited.</summary>
    public RunLimits? Limits { get; }

    /// <summary>Bytes this run (with its subflows) moved between processes, counted by dispatchers that share one pool among runs.</summary>
    public RunTraffic Traffic { get; }

    /// <summary>How many tasks the executor runs at once.</summary>
    public int Parallelism { get; }

    /// <summary>How many elements of one mapped node may be submitted and unfinished at once.</summary>
    public int MapWindow { get; }

    /// <summary>
    /// How many elements of a chain of maps may be in flight at once (<see cref="FlowRunOptions.MapChainWindow"/>);
    /// 0 runs chains breadth-first, map after map.
    /// </summary>
    public int ChainWindow { get; }

    public string FlowName => Graph.Name;

    /// <summary>Prepended to task names inside a subflow (<c>Child/</c>); empty at the top.</summary>
    public string NamePrefix { get; }

    public WorkDispatcher Dispatcher { get; }

    public ILogger? Logger { get; }

    /// <summary>Reports the run when it makes no progress for its StallTimeout; null when that is off. Shared with subflows.</summary>
    public RunWatchdog? Watchdog { get; }

    public CancellationToken Token { get; }

    /// <summary>Parameters, constants, then one result per node.</summary>
    public object?[] Slots { get; }

    public Task Completion => _completion.Task;

    public DateTimeOffset StartTime { get; }

    public long StartTimestamp => _startTimestamp;

    /// <summary>
    /// Whether the run is being cancelled. The token is read too: a task that observes the token can
    /// finish as Cancelled before the run's own cancellation callback has run.
    /// </summary>
    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0 || Token.IsCancellationRequested;

    public FlowState State { get; private set; } = FlowState.Running;

    public object? Output { get; private set; }

    /// <summary>The run's span, parent of every task attempt's span; default when nobody listens.</summary>
    public ActivityContext ActivityContext => _activity?.Context ?? default;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp, _endTimestamp == 0 ? Stopwatch.GetTimestamp() : _endTimestamp);

    public IReadOnlyList<TaskRun> TaskRuns => _taskRuns ??= new TaskRunList(this, _nodes);

    public static FlowRunState Start(FlowGraph graph, FlowExecutor executor, object?[] arguments, FlowRunOptions? options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(arguments);
        CheckArguments(graph, arguments);
        var limits = RunLimits.Create(graph, executor, options);
        var logger = options?.LoggerFactory?.CreateLogger("Flows.FlowRun");
        var runId = options?.RunId ?? NewRunId();
        var store = options?.Store is { } flowStore ? CreateStoredRun(graph, flowStore, runId, arguments, logger) : null;
        return Begin(graph, executor, arguments, options, logger, runId, store, resumed: false, token, limits);
    }

    private static FlowRunState Begin(FlowGraph graph, FlowExecutor executor, object?[] arguments, FlowRunOptions? options, ILogger? logger, string runId, RunStore? store, bool resumed, CancellationToken token, RunLimits? limits)
    {
        var events = EventSink.Create(options, graph.Name, runId, logger);
        RunWatchdog? watchdog = null;
        if (options?.StallTimeout is { } stall)
        {
            if (stall <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(options), stall, $"Flow '{graph.Name}': FlowRunOptions.StallTimeout must be positive; leave it null to turn the stall watchdog off.");
            }

            watchdog = new RunWatchdog(graph.Name, stall, logger);
        }

        var dispatcher = executor.BeginRun();
        dispatcher.RunEvents = events;
        var run = new FlowRunState(graph, dispatcher, executor.MaxParallelism, arguments, logger, string.Empty, watchdog, token, store: store, limits: limits, chainWindow: ChainWindowOf(graph, options))
        {
            RunId = runId,
            Events = events,
            ExecutorName = executor.Name,
            TopFlowName = graph.Name,
            TaskLogs = Logging.RunLogging.Create(options, graph.Name, runId),
            Observed = events is not null || FlowMetrics.AnyEnabled,
        };
        watchdog?.Start();
        run.RaiseFlowStarted(resumed);
        run.Begin();
        return run;
    }

    private static void CheckArguments(FlowGraph graph, object?[] arguments)
    {
        if (arguments.Length != graph.ParameterNames.Count)
        {
            throw new FlowDefinitionException(
                $"Flow '{graph.Name}' takes {graph.ParameterNames.Count} argument(s) ({string.Join(", ", graph.ParameterNames)}), but {arguments.Length} were passed.");
        }
    }

    private FlowRunState StartChild(NodeRun node, FlowGraph child, object?[] arguments)
    {
        var run = new FlowRunState(child, Dispatcher, Parallelism, arguments, Logger, NamePrefix + node.Node.Name + "/", Watchdog, Token, Traffic, Store, Limits, ChainWindow)
        {
            RunId = RunId,
            Events = Events,
            ExecutorName = ExecutorName,
            TopFlowName = TopFlowName,
            TaskLogs = TaskLogs,
            Observed = Observed,
        };
        node.Child = run;
        run.Begin();
        return run;
    }

    private void Begin()
    {
        if (FlowActivity.Source.HasListeners())
        {
            _activity = FlowActivity.Source.StartActivity("flow " + FlowName);
            _activity?.SetTag("flows.flow", FlowName);
            _activity?.SetTag("flows.run_id", RunId);
            _activity?.SetTag("flows.executor", ExecutorName);
        }

        RunLog.FlowStarted(Logger, FlowName, _nodes.Length);
        if (_nodes.Length == 0)
        {
            Complete();
            return;
        }

        if (Token.CanBeCanceled)
        {
            _cancelRegistration = Token.UnsafeRegister(static s => ((FlowRunState)s!).CancelAll(), this);
        }

        Dispatcher.BeginBurst();
        try
        {
            foreach (var root in Graph.Roots)
            {
                if (IsCancelled)
                {
                    break;
                }

                Ready(_nodes[root]);
            }
        }
        finally
        {
            Dispatcher.EndBurst();
        }
    }

    /// <summary>Starts a node whose upstream nodes have all finished, or finishes it if it does not run.</summary>
    private void Ready(NodeRun node)
    {
        if (IsPlainAndClear(node))
        {
            Start(node);
            return;
        }

        if (Decide(node, out var verdict))
        {
            Finish(node, verdict.State, verdict.Value, verdict.Error, verdict.Reason);
            return;
        }

        Start(node);
    }

    /// <summary>
    /// The fast path, and all there is in a graph without control flow: a node that runs code, in no
    /// branch, with only Completed edges, starts when nothing upstream failed and the run goes on.
    /// (Inlined by the JIT; <see cref="Decide"/> for every other node.)
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool IsPlainAndClear(NodeRun node) => _plain[node.Index] && !node.UpstreamFailed && !IsCancelled;

    /// <summary>Hands a node that runs code to the executor.</summary>
    private void Start(NodeRun node)
    {
        switch (node.Node.Kind)
        {
            case FlowNodeKind.Task:
                SubmitFirstAttempt(node, -1);
                break;
            case FlowNodeKind.Map:
                ExpandMap(node);
                break;
            default:
                StartSubflow(node);
                break;
        }
    }

    private void ExpandMap(NodeRun node)
    {
        var adapter = node.Node.Map!;
        MapRun map;
        try
        {
            var source = adapter.Materialize(Slots[node.Node.Inputs[0]], FlowName, NamePrefix + node.Node.Name, out var count);
            map = TryBeginChain(node, source, count) ?? new MapRun(source, adapter.CreateResults(count), count);
        }
        catch (Exception ex)
        {
            node.Stats.Attempts = 1;
            node.Stats.FirstStart = node.Stats.LastEnd = Stopwatch.GetTimestamp();
            Finish(node, TaskState.Failed, null, ex);
            return;
        }

        node.Stats.FirstStart = Stopwatch.GetTimestamp();
        Interlocked.Exchange(ref node.Map, map);
        RaiseMapExpanded(node, map.Elements.Length);
        if (IsCancelled)
        {
            // The run was cancelled while the collection was read: CancelAll may have looked for
            // this map before it existed, so its elements are cancelled here (finishing twice is harmless).
            for (var i = 0; i < map.Elements.Length; i++)
            {
                FinishElement(node, i, TaskState.Cancelled, null, null);
            }

            return;
        }

        var elements = map.Elements.Length;
        if (elements == 0)
        {
            Finish(node, TaskState.Succeeded, map.Results, null);
            return;
        }

        TaskStats.SetProgress(ref node.Stats, TaskState.Running);
        if (map.Chain is { } chain)
        {
            StartChain(chain);
            return;
        }

        // Elements are submitted through a window: each one that finishes submits the next, so a
        // map of a million elements never holds a million queued attempts.
        var window = Math.Min(elements, MapWindow);
        map.NextToSubmit = window;
        Dispatcher.BeginBurst();
        try
        {
            for (var i = 0; i < window; i++)
            {
                if (IsCancelled)
                {
                    return;
                }

                SubmitFirstAttempt(node, i);
            }
        }
        finally
        {
            Dispatcher.EndBurst();
        }
    }

    /// <summary>
    /// Submits the first attempt of a task run (a Task node, or element <paramref name="element"/> of a
    /// map), unless the store may take it: a checkpoint of a resumed run, or a cached result.
    /// </summary>
    private void SubmitFirstAttempt(NodeRun node, int element)
    {
        if (Store is { } store && store.MayTake(node.Node.Task!))
        {
            SubmitOrTakeStored(node, element);
        }
        else
        {
            Submit(new TaskAttempt(node, element, 1));
        }
    }

    /// <summary>
    /// Hands an attempt to the executor, once it has a place in every concurrency limit that names its
    /// task: at once when there is room, else when a task run gives one back (the attempt waits in
    /// line meanwhile, holding no thread and no worker). An unlimited run tests one field.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Submit(TaskAttempt attempt)
    {
        if (_slotsByNode is null)
        {
            Dispatcher.Submit(attempt);
            return;
        }

        SubmitLimited(attempt);
    }

    private void SubmitLimited(TaskAttempt attempt)
    {
        var slots = _slotsByNode![attempt.NodeIndex];
        if (slots is null || IsCancelled)
        {
            // Not limited; or its run is being cancelled, and the executor settles it as Cancelled holding nothing.
            Dispatcher.Submit(attempt);
            return;
        }

        if (Limits!.Gate.TryEnter(attempt))
        {
            attempt.HoldsSlots = true;
            Dispatcher.Submit(attempt);
        }
    }

    /// <summary>The concurrency limits node <paramref name="index"/>'s task runs need places in; null when it is not limited.</summary>
    internal SlotUse[]? SlotsOf(int index) => _slotsByNode?[index];

    /// <summary>
    /// Gives back the places a settled attempt held and hands the attempts that now have theirs to
    /// their executors (of this run or, with an executor's shared limits, of another).
    /// </summary>
    internal static void LeaveSlots(TaskAttempt attempt, RunLimits limits) =>
        DispatchWoken(limits.Gate.Leave(attempt));

    private static void DispatchWoken(List<ISlotWaiter>? woken)
    {
        if (woken is null)
        {
            return;
        }

        foreach (var waiter in woken)
        {
            var next = (TaskAttempt)waiter;
            next.HoldsSlots = true;
            next.Dispatcher.Submit(next);
        }
    }

    private void StartSubflow(NodeRun node)
    {
        var inputs = node.Node.Inputs;
        var arguments = new object?[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            arguments[i] = Slots[inputs[i]];
        }

        node.Stats.Attempts = 1;
        node.Stats.FirstStart = Stopwatch.GetTimestamp();
        TaskStats.SetProgress(ref node.Stats, TaskState.Running);
        RaiseSubflowStarted(node);
        var child = StartChild(node, node.Node.Subflow!, arguments);
        child.Completion.ContinueWith(
            static (_, s) =>
            {
                var n = (NodeRun)s!;
                var c = n.Child!;
                n.Stats.LastEnd = Stopwatch.GetTimestamp();
                switch (c.State)
                {
                    case FlowState.Succeeded:
                        n.Run.Finish(n, TaskState.Succeeded, c.Output, null);
                        break;
                    case FlowState.Cancelled:
                        n.Run.Finish(n, TaskState.Cancelled, null, null);
                        break;
                    default:
                        n.Run.Finish(n, TaskState.Failed, null, new FlowRun(c.FlowName, c.State, c.TaskRuns, c.StartTime, c.Elapsed).CreateFailure());
                        break;
                }
            },
            node,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Records the final outcome of one element of a mapped node.</summary>
    internal void FinishElement(NodeRun node, int element, TaskState state, object? value, Exception? error)
    {
        var map = node.Map!;
        if (!TaskStats.TryFinish(ref map.Elements[element], state, error))
        {
            return;
        }

        if (Observed)
        {
            RaiseTaskFinished(node, element, ref map.Elements[element]);
        }

        if (map.Chain is { } chain)
        {
            ChainElementEnded(node, map, chain, element, state, value, error);
            return;
        }

        var adapter = node.Node.Map!;
        if (state == TaskState.Succeeded)
        {
            adapter.SetResult(map.Results, element, value);
        }
        else if (adapter.KeepsFailures && TaskStats.IsFailure((int)state))
        {
            // A TryMap keeps the failure as the element's outcome (its record keeps the state too):
            // it neither fails the node nor, through it, the run. Cancellation still cancels the node.
            adapter.SetFailure(map.Results, element, state, error ?? NoError(node, element, state));
        }
        else
        {
            map.NoteBad(state);
        }

        // This element's place in the window goes to the next one (before the count below can
        // finish the node).
        var next = Interlocked.Increment(ref map.NextToSubmit) - 1;
        if (next < map.Elements.Length && !IsCancelled)
        {
            SubmitFirstAttempt(node, next);
        }

        if (Interlocked.Decrement(ref map.Remaining) == 0)
        {
            FinishMap(node, map);
        }
    }

    /// <summary>Finishes a map whose elements have all ended: succeeded, or as its worst element.</summary>
    private void FinishMap(NodeRun node, MapRun map)
    {
        if (!TaskStats.IsTerminal(Volatile.Read(ref node.Stats.State)))
        {
            // A map already finished (cancelled) keeps the record it ended with.
            node.Stats.LastEnd = Stopwatch.GetTimestamp();
        }

        var worst = Volatile.Read(ref map.WorstState);
        if (worst == 0)
        {
            Finish(node, TaskState.Succeeded, map.Results, null);
        }
        else
        {
            Finish(node, (TaskState)worst, null, FirstElementError(map));
        }
    }

    private Exception NoError(NodeRun node, int element, TaskState state) =>
        new InvalidOperationException($"Flow '{FlowName}': task '{NamePrefix}{node.Node.Name}[{element}]' ended {state} without an error.");

    private static Exception? FirstElementError(MapRun map)
    {
        foreach (ref var element in map.Elements.AsSpan())
        {
            if (element.Error is not null && TaskStats.IsFailure(element.State))
            {
                return element.Error;
            }
        }

        return null;
    }

    /// <summary>
    /// Moves a node to a terminal state once, publishes its result, and releases the nodes that
    /// wait for it: each one whose upstream nodes have all finished is started, or decided at once
    /// (skipped, not taken, or a point of the body that runs no code).
    /// </summary>
    internal void Finish(NodeRun node, TaskState state, object? value, Exception? error, SkipReason reason = SkipReason.None)
    {
        if (!Settle(node, state, value, error, reason))
        {
            return;
        }

        // Release dependents iteratively: a failure at the head of a long chain skips the whole
        // chain, and a branch not taken skips its nodes, without one stack frame per node.
        Stack<NodeRun>? pending = null;
        var current = node;
        var completed = state == TaskState.Succeeded || reason == SkipReason.BranchNotTaken;
        while (true)
        {
            foreach (var d in Graph.DependentsOf(current.Index))
            {
                var dependent = _nodes[d];
                if (!completed)
                {
                    dependent.UpstreamFailed = true;
                }

                if (Interlocked.Decrement(ref dependent.PendingDependencies) == 0)
                {
                    if (dependent.Map is { Stage: > 0 } stage)
                    {
                        // A stage of a chain already running: its map, whose elements it reads, has ended.
                        UpstreamStageEnded(dependent, stage);
                    }
                    else if (IsPlainAndClear(dependent))
                    {
                        Start(dependent);
                    }
                    else if (!Decide(dependent, out var verdict))
                    {
                        Start(dependent);
                    }
                    else if (Settle(dependent, verdict.State, verdict.Value, verdict.Error, verdict.Reason))
                    {
                        (pending ??= new Stack<NodeRun>()).Push(dependent);
                    }
                }
            }

            if (Graph.DependentsOf(current.Index).IsEmpty)
            {
                SinkDone();
            }

            if (pending is null || !pending.TryPop(out current!))
            {
                return;
            }

            completed = current.CompletedNormally;
        }
    }

    /// <summary>Moves a node to its terminal state, once; publishes a result and notes what the run's state must say.</summary>
    private bool Settle(NodeRun node, TaskState state, object? value, Exception? error, SkipReason reason)
    {
        if (state == TaskState.Skipped)
        {
            node.SkipReason = reason == SkipReason.None ? SkipReason.Upstream : reason;
        }

        if (!TaskStats.TryFinish(ref node.Stats, state, error))
        {
            return false;
        }

        if (Observed)
        {
            RaiseNodeFinished(node, error);
        }

        if (state == TaskState.Succeeded)
        {
            Slots[node.Slot] = value;
        }
        else if (TaskStats.IsFailure((int)state))
        {
            // Inside a try with catch clauses the failure is the try's to judge: its end node
            // fails in turn if no clause takes it.
            if (node.Node.CatchScope < 0)
            {
                Volatile.Write(ref _failed, 1);
            }
        }
        else if (state == TaskState.Cancelled)
        {
            Volatile.Write(ref _anyCancelled, 1);
        }

        return true;
    }

    private void SinkDone()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Complete();
        }
    }

    /// <summary>The run's token fired: every unfinished task is cancelled and the run ends now.</summary>
    private void CancelAll()
    {
        if (Interlocked.Exchange(ref _cancelled, 1) != 0)
        {
            return;
        }

        RunLog.FlowCancelled(Logger, FlowName);

        // Attempts waiting for a concurrency limit hold nothing: they leave the line, and the loop below finishes their records.
        Limits?.DropWaiters();
        if (NamePrefix.Length == 0)
        {
            // Subflows share the dispatcher and the token: the top-level run tells it once.
            Dispatcher.OnRunCancelled();
        }

        foreach (var node in _nodes)
        {
            var map = node.Map;
            if (map is not null)
            {
                for (var i = 0; i < map.Elements.Length; i++)
                {
                    FinishElement(node, i, TaskState.Cancelled, null, null);
                }
            }

            Finish(node, TaskState.Cancelled, null, null);
        }
    }

    private void Complete()
    {
        _endTimestamp = Stopwatch.GetTimestamp();
        _cancelRegistration.Unregister();

        // Cancelled only if cancellation stopped some task: a token that fires after every task
        // succeeded does not undo the run.
        if (Volatile.Read(ref _anyCancelled) != 0)
        {
            State = FlowState.Cancelled;
        }
        else if (Volatile.Read(ref _failed) != 0)
        {
            State = FlowState.Failed;
        }
        else
        {
            State = FlowState.Succeeded;
            Output = Graph.OutputSlot >= 0 ? Slots[Graph.OutputSlot] : null;
        }

        if (_activity is not null)
        {
            _activity.SetTag("flows.state", State.ToString());
            if (State != FlowState.Succeeded)
            {
                _activity.SetStatus(ActivityStatusCode.Error, State.ToString());
            }

            _activity.Stop();
        }

        RunLog.FlowFinished(Logger, FlowName, State, Elapsed.TotalMilliseconds);
        if (NamePrefix.Length == 0)
        {
            // Only the top-level run ends its dispatcher and its watchdog: subflows share them.
            Watchdog?.Dispose();
            Dispatcher.RunEnded();
            if (Limits is { } limits)
            {
                DispatchWoken(limits.End());
            }
        }

        _completion.TrySetResult();
    }

    /// <summary>Converts a <see cref="Stopwatch"/> timestamp into wall-clock time.</summary>
    public DateTimeOffset ToTime(long timestamp) => StartTime + Stopwatch.GetElapsedTime(_startTimestamp, timestamp);
}
