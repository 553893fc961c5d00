using System.Diagnostics;
using Flows.Graph;

namespace Flows;

/// <summary>
/// Chained maps run depth-first (docs/chained-maps.md): <c>Flow.Map(B, Flow.Map(A, xs))</c>, where
/// nothing else reads A's result whole, runs B's element i as soon as A's element i succeeded, keeps at
/// most <see cref="ChainWindow"/> elements in flight, and drops A's element i once B's element i has ended.
/// </summary>
/// <remarks>
/// <para>
/// The stages share one <see cref="MapChain"/>. The head is expanded as any map is; the stages after it
/// are expanded at the same moment (their other inputs are upstream of the head, so they are ready), with
/// one extra count in <see cref="MapRun.Remaining"/> that their upstream stage's end gives back. A stage
/// thus ends only after the stage before it ended and its own submitted elements have.
/// </para>
/// <para>
/// Failure: an element of a Map stage that fails stops the stages after it from taking new elements
/// (their elements under way finish and keep their records); the failed stage and the ones before it
/// run all their elements, as breadth-first. The failed stage fails as a whole, the stages after it end
/// Skipped (their elements never run are Skipped records): the run's state, its first failure and its
/// exception are those of the breadth-first run. A TryMap stage never stops the chain: its outcome,
/// failed or not, is the next stage's input, as it is breadth-first.
/// </para>
/// </remarks>
internal sealed partial class FlowRunState
{
    /// <summary>The window when <see cref="FlowRunOptions.MapChainWindow"/> is not set: twice the executor's parallelism, at least 4.</summary>
    internal static int DefaultChainWindow(int parallelism) => Math.Max(4, 2 * Math.Max(1, parallelism));

    private static int? ChainWindowOf(FlowGraph graph, FlowRunOptions? options)
    {
        if (options?.MapChainWindow is { } window && window < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), window, $"Flow '{graph.Name}': FlowRunOptions.MapChainWindow must be 0 (chained maps run breadth-first) or more; leave it null for the default.");
        }

        return options?.MapChainWindow;
    }

    /// <summary>
    /// The head of a chain, when <paramref name="node"/> is a map whose elements a later map reads one by
    /// one and that map can start with it; null for a map run on its own.
    /// </summary>
    private MapRun? TryBeginChain(NodeRun node, object source, int count)
    {
        if (ChainWindow <= 0 || count == 0 || Graph.ChainNext[node.Index] < 0)
        {
            return null;
        }

        var stages = new List<NodeRun> { node };
        for (var next = Graph.ChainNext[node.Index]; next >= 0; next = Graph.ChainNext[next])
        {
            // Joins only while everything else it waits for has ended well (the graph checked that all of
            // that is upstream of the head): left out, it runs breadth-first after the stage before it.
            var stage = _nodes[next];
            if (Volatile.Read(ref stage.PendingDependencies) != 1 || stage.UpstreamFailed)
            {
                break;
            }

            stages.Add(stage);
        }

        if (stages.Count == 1)
        {
            return null;
        }

        var chain = new MapChain(stages.ToArray(), count, ChainWindow);
        var adapter = node.Node.Map!;
        return new MapRun(source, adapter.CreateResults(0), count)
        {
            Chain = chain,
            Stage = 0,
            Handoff = new object?[count],
            KeepsOutcomes = adapter.KeepsFailures,
        };
    }

    /// <summary>Expands the stages after the head (published before any element can reach them) and fills the window.</summary>
    private void StartChain(MapChain chain)
    {
        var previous = chain.Stages[0].Map!;
        for (var s = 1; s < chain.Stages.Length; s++)
        {
            var stage = chain.Stages[s];
            var adapter = stage.Node.Map!;
            var last = s == chain.Stages.Length - 1;
            var map = new MapRun(previous.Handoff!, last ? adapter.CreateResults(chain.Count) : adapter.CreateResults(0), chain.Count)
            {
                Chain = chain,
                Stage = s,
                Handoff = last ? null : new object?[chain.Count],
                KeepsOutcomes = adapter.KeepsFailures,
                Submitted = new bool[chain.Count],
            };

            // Submitted elements, plus one for the stage before it, which has not ended.
            map.Remaining = 1;
            stage.Stats.FirstStart = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref stage.Map, map);
            RaiseMapExpanded(stage, chain.Count);
            TaskStats.SetProgress(ref stage.Stats, TaskState.Running);
            previous = map;
        }

        Dispatcher.BeginBurst();
        try
        {
            FillWindow(chain);
        }
        finally
        {
            Dispatcher.EndBurst();
        }
    }

    /// <summary>Submits the head's next elements while the window has room.</summary>
    private void FillWindow(MapChain chain)
    {
        var head = chain.Stages[0];
        while (!IsCancelled && Volatile.Read(ref chain.NextHead) < chain.Count && chain.TryEnter())
        {
            var next = Interlocked.Increment(ref chain.NextHead) - 1;
            if (next >= chain.Count)
            {
                Interlocked.Decrement(ref chain.InFlight);
                return;
            }

            SubmitFirstAttempt(head, next);
        }
    }

    /// <summary>
    /// Element <paramref name="element"/> of a chain's stage has ended (its record is final): its input is
    /// dropped, its value handed to the next stage's element (submitted at once) or kept as the last stage's
    /// result; an element that goes no further leaves the window, which takes the head's next one.
    /// </summary>
    private void ChainElementEnded(NodeRun node, MapRun map, MapChain chain, int element, TaskState state, object? value, Exception? error)
    {
        if (map.Submitted is { } submitted && !Volatile.Read(ref submitted[element]))
        {
            // Never submitted (cancelled with its run): a record only; it holds no place and no count.
            return;
        }

        var adapter = node.Node.Map!;
        var kept = adapter.KeepsFailures && TaskStats.IsFailure((int)state);
        var passes = state == TaskState.Succeeded || kept;
        if (map.Stage > 0)
        {
            // The next stage has read the element it was given: the previous stage's result goes.
            var source = (object?[])map.Source;
            var read = source[element];
            source[element] = null;
            if (!IsCancelled)
            {
                // (A cancelled run frees everything when it ends; its attempts may still be reading.)
                Dispatcher.Discard(read);
            }
        }

        if (map.Handoff is null)
        {
            if (state == TaskState.Succeeded)
            {
                adapter.SetResult(map.Results, element, value);
            }
            else if (kept)
            {
                adapter.SetFailure(map.Results, element, state, error ?? NoError(node, element, state));
            }
        }

        if (!passes)
        {
            map.NoteBad(state);
            if (TaskStats.IsFailure((int)state))
            {
                chain.StopFrom(map.Stage + 1);
            }
        }

        var handedOn = false;
        if (passes && map.Handoff is { } handoff)
        {
            var nextStage = map.Stage + 1;
            if (IsCancelled)
            {
                // Freed with the rest when the run ends.
            }
            else if (nextStage >= Volatile.Read(ref chain.StopsAt))
            {
                // Nobody will read it: freed at once (on a cluster, on the worker that holds it).
                Dispatcher.Discard(value);
            }
            else
            {
                handoff[element] = map.KeepsOutcomes ? OutcomeOf(adapter, state, value, error ?? (passes && state != TaskState.Succeeded ? NoError(node, element, state) : null)) : value;
                var next = chain.Stages[nextStage];
                var nextMap = next.Map!;
                Volatile.Write(ref nextMap.Submitted![element], true);
                Interlocked.Increment(ref nextMap.Remaining);
                SubmitFirstAttempt(next, element);
                handedOn = true;
            }
        }

        if (!handedOn)
        {
            Interlocked.Decrement(ref chain.InFlight);
            FillWindow(chain);
        }

        if (map.Stage > 0)
        {
            Interlocked.Increment(ref map.Ended);
        }

        if (Interlocked.Decrement(ref map.Remaining) == 0)
        {
            EndStage(node, map, chain);
        }
    }

    /// <summary>A TryMap element's outcome, boxed as the next stage reads it.</summary>
    private static object? OutcomeOf(IMapAdapter adapter, TaskState state, object? value, Exception? error)
    {
        var one = adapter.CreateResults(1);
        if (state == TaskState.Succeeded)
        {
            adapter.SetResult(one, 0, value);
        }
        else
        {
            adapter.SetFailure(one, 0, state, error!);
        }

        return ((Array)one).GetValue(0);
    }

    /// <summary>The map a stage reads has ended: the stage ends too once its submitted elements have.</summary>
    private void UpstreamStageEnded(NodeRun node, MapRun map)
    {
        if (Interlocked.Decrement(ref map.Remaining) == 0)
        {
            EndStage(node, map, map.Chain!);
        }
    }

    /// <summary>
    /// A stage whose elements have all ended (and, after the head, whose upstream stage has): it ends as a
    /// map does when every element ran, else as a breadth-first run would have decided it (Skipped, or
    /// Cancelled with its run), its never-run elements Skipped.
    /// </summary>
    private void EndStage(NodeRun node, MapRun map, MapChain chain)
    {
        if (map.Stage == 0 || Volatile.Read(ref map.Ended) == chain.Count)
        {
            FinishMap(node, map);
            return;
        }

        var cancelled = IsCancelled;
        var never = cancelled ? TaskState.Cancelled : TaskState.Skipped;
        if (Volatile.Read(ref map.Ended) == 0)
        {
            // None of its elements ran: the stage ends exactly as breadth-first, one record for the node.
            Interlocked.Exchange(ref node.Map, null);
        }
        else
        {
            for (var i = 0; i < map.Elements.Length; i++)
            {
                TaskStats.TryFinish(ref map.Elements[i], never, null);
            }
        }

        if (!TaskStats.IsTerminal(Volatile.Read(ref node.Stats.State)))
        {
            node.Stats.LastEnd = Stopwatch.GetTimestamp();
        }

        Finish(node, never, null, null, cancelled ? SkipReason.None : SkipReason.Upstream);
    }

    /// <summary>For tests and reports: the highest number of a chain's elements in flight at once, or -1 when node <paramref name="node"/> ran in no chain.</summary>
    internal int PeakInFlightOf(int node) => _nodes[node].Map?.Chain?.PeakInFlight ?? -1;
}
