namespace Flows;

/// <summary>The expanded state of a mapped node: its elements, their records and results.</summary>
internal sealed class MapRun
{
    public MapRun(object source, object results, int count)
    {
        Source = source;
        Results = results;
        Elements = new TaskStats[count];
        Remaining = count;
    }

    /// <summary>
    /// The materialized input collection; for a stage of a chain after its head, the previous stage's
    /// <see cref="Handoff"/> (see <see cref="ElementAt"/>).
    /// </summary>
    public object Source { get; }

    /// <summary>The chain this map is a stage of (see <see cref="MapChain"/>), or null for a map run breadth-first.</summary>
    public MapChain? Chain { get; init; }

    /// <summary>The map's place in <see cref="Chain"/>: 0 for its head.</summary>
    public int Stage { get; init; }

    /// <summary>
    /// For a stage of a chain that hands its elements to the next one: each element's result (an
    /// <see cref="Outcome{T}"/> for a TryMap), held from its end until the next stage's element has read it.
    /// Null otherwise (results go to <see cref="Results"/>).
    /// </summary>
    public object?[]? Handoff { get; init; }

    /// <summary>For a stage after a chain's head: which elements were submitted (the others get no attempt).</summary>
    public bool[]? Submitted { get; init; }

    /// <summary>For a stage after a chain's head: elements that ended after being submitted.</summary>
    public int Ended;

    /// <summary>Whether element results are read by the next stage of a chain only, so a cluster may keep them on the worker that made them.</summary>
    public bool HandsOnByReference => Handoff is not null && !KeepsOutcomes;

    /// <summary>Whether this map is a TryMap (set with <see cref="Handoff"/>).</summary>
    public bool KeepsOutcomes { get; init; }

    /// <summary>The input of element <paramref name="index"/>.</summary>
    public object? ElementAt(Flows.Graph.IMapAdapter adapter, int index) =>
        Stage > 0 ? ((object?[])Source)[index] : adapter.GetElement(Source, index);

    /// <summary>The typed result array the flow sees once every element succeeded.</summary>
    public object Results { get; }

    /// <summary>One record per element.</summary>
    public TaskStats[] Elements { get; }

    /// <summary>The next element to submit; elements from here on wait for a place in the window.</summary>
    public int NextToSubmit;

    /// <summary>
    /// Elements not yet finished. For a stage after a chain's head: elements submitted and not yet ended,
    /// plus one until the stage before it has finished (no element is submitted after that).
    /// </summary>
    public int Remaining;

    /// <summary>The worst outcome so far among finished elements (0 = none bad).</summary>
    public int WorstState;

    /// <summary>Notes a bad element outcome; failures (Failed, TimedOut, Crashed) outrank Cancelled.</summary>
    public void NoteBad(TaskState state)
    {
        var rank = TaskStats.IsFailure((int)state) ? (int)state : (int)TaskState.Cancelled;
        while (true)
        {
            var old = Volatile.Read(ref WorstState);
            if (old != 0 && (TaskStats.IsFailure(old) || rank == (int)TaskState.Cancelled))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref WorstState, rank, old) == old)
            {
                return;
            }
        }
    }
}
