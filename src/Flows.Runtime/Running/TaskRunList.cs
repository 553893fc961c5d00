using System.Collections;
using Flows.Graph;

namespace Flows;

/// <summary>
/// The per-task records of a finished run, built on demand from the compact run state: a mapped
/// node of a million elements adds a million entries without a million objects up front.
/// </summary>
internal sealed class TaskRunList : IReadOnlyList<TaskRun>
{
    private readonly FlowRunState _run;
    private readonly NodeRun[] _nodes;
    private readonly int[] _offsets;

    public TaskRunList(FlowRunState run, NodeRun[] nodes)
    {
        _run = run;
        _nodes = nodes;
        _offsets = new int[nodes.Length + 1];
        for (var i = 0; i < nodes.Length; i++)
        {
            _offsets[i + 1] = _offsets[i] + EntriesOf(nodes[i]);
        }
    }

    public int Count => _offsets[^1];

    public TaskRun this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The run has {Count} task runs.");
            }

            var node = Array.BinarySearch(_offsets, index);
            if (node < 0)
            {
                node = ~node - 1;
            }
            else
            {
                // Skip nodes with no entries that share this offset.
                while (node + 1 < _offsets.Length && _offsets[node + 1] == index)
                {
                    node++;
                }
            }

            return Describe(_nodes[node], index - _offsets[node]);
        }
    }

    public IEnumerator<TaskRun> GetEnumerator()
    {
        for (var i = 0; i < _nodes.Length; i++)
        {
            var entries = _offsets[i + 1] - _offsets[i];
            for (var j = 0; j < entries; j++)
            {
                yield return Describe(_nodes[i], j);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int EntriesOf(NodeRun node) => node.Node.Kind switch
    {
        FlowNodeKind.Join or FlowNodeKind.Merge or FlowNodeKind.Item or FlowNodeKind.TryEnd => 0,
        FlowNodeKind.Map when node.Map is { Elements.Length: > 0 } map => map.Elements.Length,
        FlowNodeKind.Subflow when node.Child is { } child => child.TaskRuns.Count,
        _ => 1,
    };

    private TaskRun Describe(NodeRun node, int entry)
    {
        var prefix = _run.NamePrefix;
        switch (node.Node.Kind)
        {
            case FlowNodeKind.Map when node.Map is { Elements.Length: > 0 } map:
                var element = Record($"{prefix}{node.Node.Name}[{entry}]", node.Node.Task!.Id, ref map.Elements[entry]);
                if (element.State == TaskState.Skipped)
                {
                    element = element with { SkipReason = TaskRun.UpstreamDidNotSucceed };
                }

                return node.Node.KeepsElementFailures || IsCaught(node) ? element with { FailureKept = true } : element;
            case FlowNodeKind.Subflow when node.Child is { } child:
                return child.TaskRuns[entry];
            default:
                var id = node.Node.Task?.Id ?? node.Node.Subflow!.Name;
                return Record(prefix + node.Node.Name, id, ref node.Stats) with { SkipReason = Reason(node), FailureKept = IsCaught(node) };
        }
    }

    /// <summary>
    /// Whether a catch clause took this node's failure: its try's end succeeded, or passed the
    /// failure on to a try around it that did. Such a failure keeps its record but did not fail the run.
    /// </summary>
    private bool IsCaught(NodeRun node)
    {
        for (var scope = node.Node.CatchScope; scope >= 0; scope = _nodes[scope].Node.CatchScope)
        {
            switch (_nodes[scope].State)
            {
                case TaskState.Succeeded:
                    return true;
                case TaskState.Failed:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static string? Reason(NodeRun node) => node.State != TaskState.Skipped ? null : node.SkipReason switch
    {
        SkipReason.BranchNotTaken => TaskRun.BranchNotTaken,
        _ => TaskRun.UpstreamDidNotSucceed,
    };

    private TaskRun Record(string name, string id, ref TaskStats stats)
    {
        var started = stats.Attempts > 0;
        var duration = TaskStats.DurationOf(ref stats);
        return new TaskRun(
            name,
            id,
            TaskStats.Reported(ref stats),
            stats.Attempts,
            started ? _run.ToTime(stats.FirstStart) : null,
            duration,
            stats.Error,
            stats.Abandoned)
        {
            Restored = stats.Origin == TaskOrigin.Restored,
        };
    }
}
