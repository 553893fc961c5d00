using Flows.Graph;

namespace Flows.Console.Summary;

/// <summary>One node's line in the final table.</summary>
internal sealed class SummaryRow
{
    public SummaryRow(string name, FlowNodeKind kind, int depth, SummaryRow? parent, bool keepsFailures)
    {
        Name = name;
        Kind = kind;
        Depth = depth;
        Parent = parent;
        KeepsFailures = keepsFailures;
    }

    public string Name { get; }

    public FlowNodeKind Kind { get; }

    public int Depth { get; }

    public SummaryRow? Parent { get; }

    public bool KeepsFailures { get; }

    /// <summary>The node's final state; null when nothing says it (a node of a subflow that never started).</summary>
    public TaskState? State { get; set; }

    public string? SkipReason { get; set; }

    public bool Restored { get; set; }

    /// <summary>Attempts: a task's own, or the sum over a map's elements; 0 for a subflow.</summary>
    public int Attempts { get; set; }

    public TimeSpan? Duration { get; set; }

    /// <summary>The earliest start and the latest end of the task runs under the row (a map's elements, a subflow's tasks).</summary>
    public DateTimeOffset? SpanStart { get; set; }

    public DateTimeOffset? SpanEnd { get; set; }

    /// <summary>A map's elements by final state, in the order <see cref="TaskState"/> lists them.</summary>
    public int[]? ElementCounts { get; set; }

    /// <summary>A map's element count, when it has elements.</summary>
    public int Elements => ElementCounts?.Sum() ?? 0;

    /// <summary>Widens <see cref="SpanStart"/>/<see cref="SpanEnd"/> to a task run.</summary>
    public void Cover(TaskRun task)
    {
        if (task.Start is not { } start)
        {
            return;
        }

        var end = start + task.Duration;
        if (SpanStart is null || start < SpanStart)
        {
            SpanStart = start;
        }

        if (SpanEnd is null || end > SpanEnd)
        {
            SpanEnd = end;
        }
    }
}
