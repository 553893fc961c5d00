using System.Collections.ObjectModel;
using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// The static graph of one flow: nodes in topological order, their edges and dependency counts.
/// The source generator emits one per <c>[Flow]</c>; it never changes while runs use it.
/// </summary>
/// <remarks>
/// Values live in numbered slots: the flow's parameters (0 .. P-1), then the constants
/// (P .. P+C-1), then one slot per node (node i writes slot P+C+i).
/// </remarks>
public sealed class FlowGraph
{
    private readonly int[][] _dependents;
    private readonly int[] _dependencyCounts;
    private readonly int[] _roots;
    private ResultUse[]? _resultUses;

    /// <summary>Builds a graph and computes its edges.</summary>
    /// <param name="name">The flow's name in reports.</param>
    /// <param name="parameterNames">The flow's parameters that are graph inputs (not the cancellation token).</param>
    /// <param name="constants">Values the flow body writes literally.</param>
    /// <param name="nodes">Nodes in topological order: a node reads only parameters, constants and earlier nodes.</param>
    /// <param name="outputSlot">The slot whose value is the flow's result, or -1 when the flow returns nothing.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public FlowGraph(string name, IReadOnlyList<string> parameterNames, IReadOnlyList<object?> constants, IReadOnlyList<FlowNode> nodes, int outputSlot)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameterNames);
        ArgumentNullException.ThrowIfNull(constants);
        ArgumentNullException.ThrowIfNull(nodes);

        Name = name;
        ParameterNames = new ReadOnlyCollection<string>(parameterNames.ToArray());
        Constants = constants.ToArray();
        Nodes = new ReadOnlyCollection<FlowNode>(nodes.ToArray());
        FirstNodeSlot = ParameterNames.Count + Constants.Length;
        SlotCount = FirstNodeSlot + Nodes.Count;
        if (outputSlot < -1 || outputSlot >= SlotCount)
        {
            throw new FlowDefinitionException($"Flow '{name}': output slot {outputSlot} is outside the {SlotCount} slots of the graph.");
        }

        OutputSlot = outputSlot;
        (_dependents, _dependencyCounts, _roots) = ComputeEdges();
        SinkCount = _dependents.Count(d => d.Length == 0);
    }

    /// <summary>The flow's name in reports.</summary>
    public string Name { get; }

    /// <summary>The flow's graph inputs, in order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Constant values, in slot order after the parameters.</summary>
    internal object?[] Constants { get; }

    /// <summary>The nodes, in topological order.</summary>
    public IReadOnlyList<FlowNode> Nodes { get; }

    /// <summary>The slot of the first node's result.</summary>
    public int FirstNodeSlot { get; }

    /// <summary>Parameters + constants + nodes.</summary>
    public int SlotCount { get; }

    /// <summary>The slot that holds the flow's result; -1 when the flow returns nothing.</summary>
    public int OutputSlot { get; }

    /// <summary>The nodes that read node <paramref name="node"/>'s result, each once.</summary>
    public ReadOnlySpan<int> DependentsOf(int node) => _dependents[node];

    /// <summary>How many distinct nodes node <paramref name="node"/> waits for.</summary>
    public int DependencyCountOf(int node) => _dependencyCounts[node];

    internal int[] DependencyCounts => _dependencyCounts;

    /// <summary>
    /// How many nodes no other node reads. A run is over when its sinks are: a node finishes only
    /// after every node it reads, so every other node has finished by then.
    /// </summary>
    public int SinkCount { get; }

    /// <summary>The nodes that wait for no other node.</summary>
    public ReadOnlySpan<int> Roots => _roots;

    /// <summary>Who reads node <paramref name="node"/>'s result (computed on first use).</summary>
    internal ResultUse ResultUseOf(int node) => (_resultUses ??= ResultUse.Compute(this))[node];

    /// <summary>The node whose result lives in <paramref name="slot"/>, or -1 for a parameter or constant.</summary>
    public int NodeOfSlot(int slot) => slot >= FirstNodeSlot ? slot - FirstNodeSlot : -1;

    private (int[][] Dependents, int[] Counts, int[] Roots) ComputeEdges()
    {
        var n = Nodes.Count;
        var counts = new int[n];
        var fanOut = new int[n];
        var upstream = new int[n][];
        for (var i = 0; i < n; i++)
        {
            var node = Nodes[i];
            var distinct = new List<int>(node.Inputs.Length);
            foreach (var slot in node.Inputs)
            {
                if (slot < 0 || slot >= SlotCount)
                {
                    throw new FlowDefinitionException($"Flow '{Name}', node '{node.Name}': input slot {slot} is outside the {SlotCount} slots of the graph.");
                }

                var source = NodeOfSlot(slot);
                if (source >= i)
                {
                    throw new FlowDefinitionException(
                        $"Flow '{Name}', node '{node.Name}': it reads node {source}, which is not before it; nodes must be in topological order.");
                }

                if (source >= 0 && !distinct.Contains(source))
                {
                    distinct.Add(source);
                    fanOut[source]++;
                }
            }

            upstream[i] = distinct.ToArray();
            counts[i] = distinct.Count;
        }

        var dependents = new int[n][];
        for (var i = 0; i < n; i++)
        {
            dependents[i] = fanOut[i] == 0 ? Array.Empty<int>() : new int[fanOut[i]];
            fanOut[i] = 0;
        }

        for (var i = 0; i < n; i++)
        {
            foreach (var source in upstream[i])
            {
                dependents[source][fanOut[source]++] = i;
            }
        }

        var roots = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (counts[i] == 0)
            {
                roots.Add(i);
            }
        }

        return (dependents, counts, roots.ToArray());
    }
}
