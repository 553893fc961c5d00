using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>Builds graphs by hand, the way generated code does, with tasks written as lambdas.</summary>
internal sealed class TestGraph
{
    private readonly string _name;
    private readonly string[] _parameters;
    private readonly List<object?> _constants = new();
    private readonly List<Func<int, FlowNode>> _nodes = new();

    public TestGraph(string name, params string[] parameters)
    {
        _name = name;
        _parameters = parameters;
    }

    /// <summary>The slot of parameter <paramref name="index"/>.</summary>
    public int Param(int index) => index;

    /// <summary>Adds a constant; returns its slot (valid once <see cref="Build"/> has laid out the slots).</summary>
    public Slot Constant(object? value)
    {
        _constants.Add(value);
        return new Slot(SlotKind.Constant, _constants.Count - 1);
    }

    public Slot Task(TaskDescriptor task, params Slot[] inputs) => Add(first => FlowNode.ForTask(Unique(task.Name), task, Resolve(first, inputs)));

    public Slot Map(TaskDescriptor task, IMapAdapter adapter, Slot collection) =>
        Add(first => FlowNode.ForMap(Unique(task.Name), task, adapter, Resolve(first, collection)[0]));

    public Slot Subflow(string name, FlowGraph child, params Slot[] inputs) => Add(first => FlowNode.ForSubflow(Unique(name), child, Resolve(first, inputs)));

    public FlowGraph Build(Slot? output = null)
    {
        var first = _parameters.Length + _constants.Count;
        var nodes = _nodes.Select(make => make(first)).ToArray();
        var outputSlot = output is { } o ? Resolve(first, o)[0] : -1;
        return new FlowGraph(_name, _parameters, _constants, nodes, outputSlot);
    }

    private readonly Dictionary<string, int> _uses = new();

    /// <summary>Names repeated calls of one task <c>Name</c>, <c>Name#2</c>, ... as the generator does.</summary>
    private string Unique(string name)
    {
        var uses = _uses.GetValueOrDefault(name) + 1;
        _uses[name] = uses;
        return uses == 1 ? name : $"{name}#{uses}";
    }

    private Slot Add(Func<int, FlowNode> make)
    {
        _nodes.Add(make);
        return new Slot(SlotKind.Node, _nodes.Count - 1);
    }

    private int[] Resolve(int firstNodeSlot, params Slot[] inputs) => inputs.Select(s => s.Kind switch
    {
        SlotKind.Parameter => s.Index,
        SlotKind.Constant => _parameters.Length + s.Index,
        _ => firstNodeSlot + s.Index,
    }).ToArray();

    public Slot P(int index) => new(SlotKind.Parameter, index);

    public enum SlotKind
    {
        Parameter,
        Constant,
        Node,
    }

    public readonly record struct Slot(SlotKind Kind, int Index);
}

/// <summary>Task descriptors from lambdas.</summary>
internal static class Tasks
{
    public static TaskDescriptor Sync(string name, Func<TaskArguments, CancellationToken, object?> body, int retries = 0, int retryDelayMs = 0, int timeoutMs = 0) =>
        new($"Tests.{name}", name, (in TaskArguments a, CancellationToken ct) => body(a, ct), retries: retries, retryDelayMs: retryDelayMs, timeoutMs: timeoutMs);

    public static TaskDescriptor Async<T>(string name, Func<TaskArguments, CancellationToken, Task<T>> body, int retries = 0, int timeoutMs = 0) =>
        new($"Tests.{name}", name, (in TaskArguments a, CancellationToken ct) => body(a, ct), static t => ((Task<T>)t).Result, retries: retries, timeoutMs: timeoutMs);

    public static readonly TaskDescriptor Inc = Sync("Inc", (a, _) => a.Get<int>(0) + 1);

    public static readonly TaskDescriptor Add = Sync("Add", (a, _) => a.Get<int>(0) + a.Get<int>(1));

    public static TaskDescriptor Throw(string name, string message, int retries = 0) =>
        Sync(name, (_, _) => throw new InvalidOperationException(message), retries);
}
