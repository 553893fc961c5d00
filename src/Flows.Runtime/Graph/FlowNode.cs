using System.ComponentModel;

namespace Flows.Graph;

/// <summary>What a node of a flow graph runs.</summary>
public enum FlowNodeKind
{
    /// <summary>One call of a task.</summary>
    Task,

    /// <summary>One call of a task per element of a collection (<c>Flow.Map</c>, <c>Flow.TryMap</c>).</summary>
    Map,

    /// <summary>A whole other flow, run as part of this one.</summary>
    Subflow,
}

/// <summary>
/// One node of a <see cref="FlowGraph"/>. Inputs are slot numbers: flow parameters first, then the
/// graph's constants, then one slot per node holding that node's result.
/// </summary>
public sealed class FlowNode
{
    private FlowNode(FlowNodeKind kind, string name, TaskDescriptor? task, IMapAdapter? map, FlowGraph? subflow, int[] inputSlots)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(inputSlots);
        Kind = kind;
        Name = name;
        Task = task;
        Map = map;
        Subflow = subflow;
        Inputs = inputSlots;
        InputSlots = Array.AsReadOnly(inputSlots);
    }

    /// <summary>A call of <paramref name="task"/> whose arguments are read from <paramref name="inputSlots"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForTask(string name, TaskDescriptor task, params int[] inputSlots)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(inputSlots);
        return new FlowNode(FlowNodeKind.Task, name, task, null, null, (int[])inputSlots.Clone());
    }

    /// <summary>
    /// A call of <paramref name="task"/> per element of the collection in <paramref name="collectionSlot"/>;
    /// the element is the task's first argument, the others come from <paramref name="extraInputSlots"/>.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForMap(string name, TaskDescriptor task, IMapAdapter adapter, int collectionSlot, params int[] extraInputSlots)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (adapter.KeepsFailures)
        {
            throw new ArgumentException($"Map node '{name}': the adapter keeps failed elements, which only a TryMap node does; use FlowNode.ForTryMap.", nameof(adapter));
        }

        return MapNode(name, task, adapter, collectionSlot, extraInputSlots);
    }

    /// <summary>
    /// A call of <paramref name="task"/> per element of the collection in <paramref name="collectionSlot"/>
    /// (<c>Flow.TryMap</c>) that keeps each element's outcome: an element that fails does not fail
    /// the node, which succeeds once every element has ended. Arguments as in <see cref="ForMap"/>.
    /// </summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForTryMap(string name, TaskDescriptor task, IMapAdapter adapter, int collectionSlot, params int[] extraInputSlots)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        if (!adapter.KeepsFailures)
        {
            throw new ArgumentException($"TryMap node '{name}': the adapter does not keep failed elements; pass a TryMapAdapter.", nameof(adapter));
        }

        return MapNode(name, task, adapter, collectionSlot, extraInputSlots);
    }

    private static FlowNode MapNode(string name, TaskDescriptor task, IMapAdapter adapter, int collectionSlot, int[] extraInputSlots)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(extraInputSlots);
        var inputs = new int[extraInputSlots.Length + 1];
        inputs[0] = collectionSlot;
        extraInputSlots.CopyTo(inputs, 1);
        return new FlowNode(FlowNodeKind.Map, name, task, adapter, null, inputs);
    }

    /// <summary>A run of <paramref name="subflow"/> whose parameters are read from <paramref name="inputSlots"/>.</summary>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowNode ForSubflow(string name, FlowGraph subflow, params int[] inputSlots)
    {
        ArgumentNullException.ThrowIfNull(subflow);
        if (inputSlots.Length != subflow.ParameterNames.Count)
        {
            throw new FlowDefinitionException(
                $"Subflow node '{name}' passes {inputSlots.Length} inputs, but flow '{subflow.Name}' takes {subflow.ParameterNames.Count}.");
        }

        return new FlowNode(FlowNodeKind.Subflow, name, null, null, subflow, (int[])inputSlots.Clone());
    }

    /// <summary>What the node runs.</summary>
    public FlowNodeKind Kind { get; }

    /// <summary>The node's name in reports: the task's name, made unique within the flow.</summary>
    public string Name { get; }

    /// <summary>The task called (Task and Map nodes).</summary>
    public TaskDescriptor? Task { get; }

    /// <summary>The typed collection handling of a Map node.</summary>
    public IMapAdapter? Map { get; }

    /// <summary>
    /// Whether this Map node keeps its elements' failures as outcomes (<c>Flow.TryMap</c>) rather
    /// than failing with the first of them.
    /// </summary>
    public bool KeepsElementFailures => Map?.KeepsFailures == true;

    /// <summary>The flow run by a Subflow node.</summary>
    public FlowGraph? Subflow { get; }

    /// <summary>Where each input comes from, by slot number.</summary>
    public IReadOnlyList<int> InputSlots { get; }

    /// <summary>The array behind <see cref="InputSlots"/>, for the runtime's own loops; never handed out.</summary>
    internal int[] Inputs { get; }
}
