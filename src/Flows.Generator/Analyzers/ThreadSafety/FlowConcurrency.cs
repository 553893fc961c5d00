using System.Collections;
using Flows.Generator.Model;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Which nodes of a flow's graph can run at the same time: two nodes can exactly when there is
/// no path between them. Computed on the parser's model, whose nodes are in topological order.
/// </summary>
internal sealed class FlowConcurrency
{
    private readonly BitArray[] _ancestors;

    public FlowConcurrency(FlowModel model)
    {
        var firstNodeSlot = model.Parameters.Count + model.Constants.Count;
        _ancestors = new BitArray[model.Nodes.Count];
        for (var node = 0; node < model.Nodes.Count; node++)
        {
            var ancestors = new BitArray(model.Nodes.Count);
            foreach (var slot in model.Nodes[node].InputSlots)
            {
                var producer = slot - firstNodeSlot;
                if (producer >= 0 && producer < node)
                {
                    ancestors.Set(producer, true);
                    ancestors.Or(_ancestors[producer]);
                }
            }

            // Statement order and try blocks order nodes too.
            foreach (var edge in model.Nodes[node].After)
            {
                if (edge.Node < node)
                {
                    ancestors.Set(edge.Node, true);
                    ancestors.Or(_ancestors[edge.Node]);
                }
            }

            _ancestors[node] = ancestors;
        }
    }

    /// <summary>Whether nodes <paramref name="a"/> and <paramref name="b"/> can run at the same time.</summary>
    public bool CanOverlap(int a, int b) => a != b && !_ancestors[a][b] && !_ancestors[b][a];
}
