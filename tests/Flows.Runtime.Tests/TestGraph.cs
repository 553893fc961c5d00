using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>Builds graphs by hand, the way generated code does.</summary>
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

    /// <summary>A map of <paramref name="task"/> over <paramref name="collection"/>; <paramref name="extraInputs"/> are its other arguments.</summary>
    public Slot Map(TaskDescriptor task, IMapAdapter adapter, Slot collection, params Slot[] extraInputs) =>
        Add(first => FlowNode.ForMap(Unique(task.Name), task, adapter, Resolve(first, collection)[0], Resolve(first, extraInputs)));

    /// <summary>A TryMap of <paramref name="task"/> over <paramref name="collection"/>: one outcome per element; <paramref name="extraInputs"/> are its other arguments.</summary>
    public Slot TryMap(TaskDescriptor task, IMapAdapter adapter, Slot collection, params Slot[] extraInputs) =>
        Add(first => FlowNode.ForTryMap(Unique(task.Name), task, adapter, Resolve(first, collection)[0], Resolve(first, extraInputs)));

    /// <summary>A map of <paramref name="task"/> over the elements of map <paramref name="upstreamMap"/>, marked as reading them one by one (as the generator marks a chain).</summary>
    public Slot ChainedMap(TaskDescriptor task, IMapAdapter adapter, Slot upstreamMap, params Slot[] extraInputs) =>
        Add(first => FlowNode.ForMap(Unique(task.Name), task, adapter, Resolve(first, upstreamMap)[0], Resolve(first, extraInputs)).ReadingElementsOf(upstreamMap.Index));

    /// <summary>A TryMap over the elements of map <paramref name="upstreamMap"/>, marked as reading them one by one.</summary>
    public Slot ChainedTryMap(TaskDescriptor task, IMapAdapter adapter, Slot upstreamMap, params Slot[] extraInputs) =>
        Add(first => FlowNode.ForTryMap(Unique(task.Name), task, adapter, Resolve(first, upstreamMap)[0], Resolve(first, extraInputs)).ReadingElementsOf(upstreamMap.Index));

    public Slot Subflow(string name, FlowGraph child, params Slot[] inputs) => Add(first => FlowNode.ForSubflow(Unique(name), child, Resolve(first, inputs)));

    public FlowGraph Build(Slot? output = null, string? hash = null, IFlowArgumentsCodec? argumentsCodec = null)
    {
        var first = _parameters.Length + _constants.Count;
        var nodes = _nodes.Select(make => make(first)).ToArray();
        var outputSlot = output is { } o ? Resolve(first, o)[0] : -1;
        return new FlowGraph(_name, _parameters, _constants, nodes, outputSlot) { Hash = hash, ArgumentsCodec = argumentsCodec };
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

/// <summary>
/// Common task descriptors. <see cref="Inc"/> and <see cref="Add"/> are static, registered and have a
/// codec, so they run in worker processes too; <see cref="Sync"/> and <see cref="Async{T}"/> wrap
/// lambdas (which may capture test state), for tests of in-process executors only.
/// </summary>
internal static class Tasks
{
    /// <summary>Inc(int x) = x + 1.</summary>
    public static readonly TaskDescriptor Inc = new("Tests.Inc", "Inc", static (in TaskArguments a, CancellationToken _) => a.Get<int>(0) + 1, codec: new SimpleCodec(typeof(int)));

    /// <summary>Add(int a, int b) = a + b.</summary>
    public static readonly TaskDescriptor Add = new("Tests.Add", "Add", static (in TaskArguments a, CancellationToken _) => a.Get<int>(0) + a.Get<int>(1), codec: new SimpleCodec(typeof(int), typeof(int)));

    /// <summary>Every static task above, for the registry.</summary>
    internal static readonly TaskDescriptor[] All = [Inc, Add];

    /// <summary>An in-process-only synchronous task from a lambda (no codec, not registered).</summary>
    public static TaskDescriptor Sync(string name, Func<TaskArguments, CancellationToken, object?> body, int retries = 0, int retryDelayMs = 0, int timeoutMs = 0) =>
        new($"Tests.Lambda.{name}", name, (in TaskArguments a, CancellationToken ct) => body(a, ct), retries: retries, retryDelayMs: retryDelayMs, timeoutMs: timeoutMs);

    /// <summary>An in-process-only asynchronous task from a lambda (no codec, not registered).</summary>
    public static TaskDescriptor Async<T>(string name, Func<TaskArguments, CancellationToken, Task<T>> body, int retries = 0, int timeoutMs = 0) =>
        new($"Tests.Lambda.{name}", name, (in TaskArguments a, CancellationToken ct) => body(a, ct), static t => ((Task<T>)t).Result, retries: retries, timeoutMs: timeoutMs);
}
