namespace Flows;

/// <summary>An event of one task run: a task node, or one element of a mapped node.</summary>
public abstract class TaskEvent : FlowEvent
{
    private protected TaskEvent(string runId, string flowName, long timestamp, string node, int element, string taskId)
        : base(runId, flowName, timestamp)
    {
        Node = node;
        Element = element;
        TaskId = taskId;
    }

    /// <summary>The node the task run belongs to: its name, after <c>Subflow/</c> inside a subflow.</summary>
    public string Node { get; }

    /// <summary>The element of a mapped node, or -1.</summary>
    public int Element { get; }

    /// <summary>The task method's stable id (<see cref="TaskRun.TaskId"/>).</summary>
    public string TaskId { get; }

    /// <summary>The task run's name, as <see cref="TaskRun.Name"/> gives it: <see cref="Node"/>, with <c>[i]</c> for element i.</summary>
    public string Task => Element < 0 ? Node : $"{Node}[{Element}]";
}
