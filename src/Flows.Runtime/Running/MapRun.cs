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

    /// <summary>The materialized input collection.</summary>
    public object Source { get; }

    /// <summary>The typed result array the flow sees once every element succeeded.</summary>
    public object Results { get; }

    /// <summary>One record per element.</summary>
    public TaskStats[] Elements { get; }

    /// <summary>The next element to submit; elements from here on wait for a place in the window.</summary>
    public int NextToSubmit;

    /// <summary>Elements not yet finished.</summary>
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
