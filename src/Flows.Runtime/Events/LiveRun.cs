using System.Diagnostics;
using Flows.Graph;

namespace Flows;

/// <summary>
/// A running flow's current state, read whenever it suits the reader (<see cref="FlowStarted.Live"/>):
/// what a progress display polls at its refresh instead of counting one event per task run. Reading
/// costs the reader, never the run: nothing is kept for it, and a map's counts are taken by reading its
/// elements' records. Safe to read from any thread; the values are a moment's, not a consistent snapshot.
/// </summary>
public sealed class LiveRun
{
    private readonly FlowRunState _run;

    internal LiveRun(FlowRunState run)
    {
        _run = run;
    }

    /// <summary>The graph whose nodes <see cref="NodeState"/> and <see cref="Subflow"/> take the indexes of.</summary>
    public FlowGraph Graph => _run.Graph;

    /// <summary>Where node <paramref name="node"/> (an index into <see cref="Graph"/>'s nodes) stands now.</summary>
    public LiveNodeState NodeState(int node)
    {
        var nodeRun = _run.NodeAt(node);
        var now = Stopwatch.GetTimestamp();
        if (nodeRun.Map is { } map)
        {
            var counts = new ElementCounts();
            foreach (ref var element in map.Elements.AsSpan())
            {
                counts.Add(ref element);
            }

            return counts.ToState(nodeRun.State, map.Elements.Length, ref nodeRun.Stats, _run, now);
        }

        ref var stats = ref nodeRun.Stats;
        var state = TaskStats.Reported(ref stats);

        return new LiveNodeState
        {
            State = state,
            Attempts = stats.Attempts,
            Elements = -1,
            Succeeded = state == TaskState.Succeeded ? 1 : 0,
            Cached = state == TaskState.Cached ? 1 : 0,
            Failed = TaskStats.IsFailure((int)state) ? 1 : 0,
            Skipped = state == TaskState.Skipped ? 1 : 0,
            Cancelled = state == TaskState.Cancelled ? 1 : 0,
            Running = state == TaskState.Running ? 1 : 0,
            Retrying = state == TaskState.Retrying ? 1 : 0,
            Started = StartOf(ref stats, _run),
            Duration = DurationOf(ref stats, state, now),
        };
    }

    /// <summary>The run of subflow node <paramref name="node"/>, once it has started; null before and for other nodes.</summary>
    public LiveRun? Subflow(int node) => _run.NodeAt(node).Child?.Live;

    private static DateTimeOffset? StartOf(ref TaskStats stats, FlowRunState run) =>
        stats.FirstStart != 0 ? run.ToTime(stats.FirstStart) : null;

    private static TimeSpan DurationOf(ref TaskStats stats, TaskState state, long now) =>
        stats.FirstStart == 0 ? TimeSpan.Zero
        : TaskStats.IsTerminal((int)state) ? TaskStats.DurationOf(ref stats)
        : Stopwatch.GetElapsedTime(stats.FirstStart, now);

    /// <summary>A map's elements, counted by state.</summary>
    private struct ElementCounts
    {
        private int _succeeded, _cached, _failed, _skipped, _cancelled, _running, _retrying, _attempts;

        public void Add(ref TaskStats element)
        {
            _attempts += element.Attempts;
            switch ((TaskState)Volatile.Read(ref element.State))
            {
                case TaskState.Succeeded when element.Origin == TaskOrigin.Cached:
                    _cached++;
                    break;
                case TaskState.Succeeded:
                    _succeeded++;
                    break;
                case TaskState.Failed or TaskState.TimedOut or TaskState.Crashed:
                    _failed++;
                    break;
                case TaskState.Skipped:
                    _skipped++;
                    break;
                case TaskState.Cancelled:
                    _cancelled++;
                    break;
                case TaskState.Running:
                    _running++;
                    break;
                case TaskState.Retrying:
                    _retrying++;
                    break;
            }
        }

        public readonly LiveNodeState ToState(TaskState state, int elements, ref TaskStats node, FlowRunState run, long now) => new()
        {
            State = state,
            Attempts = _attempts,
            Elements = elements,
            Succeeded = _succeeded,
            Cached = _cached,
            Failed = _failed,
            Skipped = _skipped,
            Cancelled = _cancelled,
            Running = _running,
            Retrying = _retrying,
            Started = StartOf(ref node, run),
            Duration = DurationOf(ref node, state, now),
        };
    }
}
