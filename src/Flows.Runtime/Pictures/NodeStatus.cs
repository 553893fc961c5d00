namespace Flows.Pictures;

/// <summary>
/// What one run did at one picture node: the task run of a task node, or the counts of a map's
/// element runs (by state) with its first failures, the earliest start and the latest end.
/// </summary>
internal sealed class NodeStatus
{
    /// <summary>Failed elements a report lists by name; the rest are only counted.</summary>
    public const int ListedFailures = 100;

    private readonly int[] _counts = new int[PaintStates.All.Length];

    /// <summary>The record, for a node that has one record (a task, or a map that never expanded).</summary>
    public TaskRun? Single { get; private set; }

    /// <summary>Element runs of an expanded map; 0 for a task.</summary>
    public int Elements { get; private set; }

    public int Attempts { get; private set; }

    public DateTimeOffset? FirstStart { get; private set; }

    public DateTimeOffset? LastEnd { get; private set; }

    /// <summary>The first <see cref="ListedFailures"/> failed, timed-out or crashed elements, in element order.</summary>
    public List<(int Element, TaskRun Run)> Failures { get; } = new();

    /// <summary>How many records are in <paramref name="state"/>.</summary>
    public int Count(PaintState state) => _counts[(int)state];

    /// <summary>The state the node is coloured by: a task's own, a map's worst (all cached: cached; all restored: restored).</summary>
    public PaintState State
    {
        get
        {
            if (Single is not null && Elements == 0)
            {
                return PaintStates.Of(Single);
            }

            foreach (var state in PaintStates.All)
            {
                if (state >= PaintState.Succeeded)
                {
                    break;
                }

                if (_counts[(int)state] > 0)
                {
                    return state;
                }
            }

            var total = _counts.Sum();
            return _counts[(int)PaintState.Cached] == total ? PaintState.Cached
                : _counts[(int)PaintState.Restored] == total ? PaintState.Restored
                : PaintState.Succeeded;
        }
    }

    /// <summary>"118 succeeded, 2 failed of 120" for a map; the state's words for a task.</summary>
    public string Summary
    {
        get
        {
            if (Elements == 0)
            {
                var words = PaintStates.Words(State);
                return Single is { Attempts: > 1 } ? $"{words} after {Single.Attempts} attempts" : words;
            }

            var parts = PaintStates.All.Where(s => _counts[(int)s] > 0)
                .OrderBy(s => s >= PaintState.Succeeded ? 0 : 1)
                .ThenBy(s => s)
                .Select(s => $"{_counts[(int)s]} {PaintStates.Words(s)}");
            return $"{string.Join(", ", parts)} of {Elements}";
        }
    }

    public void AddSingle(TaskRun run)
    {
        Single = run;
        _counts[(int)PaintStates.Of(run)]++;
        Note(run);
    }

    public void AddElement(int element, TaskRun run)
    {
        Elements++;
        var state = PaintStates.Of(run);
        _counts[(int)state]++;
        if (state is PaintState.Failed or PaintState.TimedOut or PaintState.Crashed && Failures.Count < ListedFailures)
        {
            Failures.Add((element, run));
        }

        Note(run);
    }

    private void Note(TaskRun run)
    {
        Attempts += run.Attempts;
        if (run.Start is { } start)
        {
            if (FirstStart is null || start < FirstStart)
            {
                FirstStart = start;
            }

            var end = start + run.Duration;
            if (LastEnd is null || end > LastEnd)
            {
                LastEnd = end;
            }
        }
    }
}
