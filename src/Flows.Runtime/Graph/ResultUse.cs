namespace Flows.Graph;

/// <summary>
/// Who reads one node's result within its graph: what an executor that keeps results where they
/// were made (the cluster) needs to know to decide what travels to the flow process and when a
/// result can be freed. Computed once per graph.
/// </summary>
/// <param name="ReadByRunner">
/// The scheduler itself reads the value (the flow's output, the collection a map expands, a branch's
/// condition, a tuple an item takes apart, a value a merge passes on), so it must come back to the
/// flow process as a value, not stay behind as a reference.
/// </param>
/// <param name="TaskReaders">How many task nodes take the value as an input; when they have all succeeded, nobody needs it.</param>
/// <param name="ReadByComposite">
/// A map (other than as its source) or a subflow reads the value; such readers run an unknown number
/// of attempts, so the value is kept until the run ends.
/// </param>
internal readonly record struct ResultUse(bool ReadByRunner, int TaskReaders, bool ReadByComposite)
{
    public static ResultUse[] Compute(FlowGraph graph)
    {
        var uses = new ResultUse[graph.Nodes.Count];
        var readByRunner = new bool[graph.Nodes.Count];
        var taskReaders = new int[graph.Nodes.Count];
        var composite = new bool[graph.Nodes.Count];
        var outputNode = graph.NodeOfSlot(graph.OutputSlot);
        if (outputNode >= 0)
        {
            readByRunner[outputNode] = true;
        }

        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            var inputs = node.Inputs;
            for (var position = 0; position < inputs.Length; position++)
            {
                var source = graph.NodeOfSlot(inputs[position]);
                if (source < 0)
                {
                    continue;
                }

                switch (node.Kind)
                {
                    case FlowNodeKind.Task:
                        // A task that reads the same value twice still counts once: its success releases it once.
                        if (Array.IndexOf(inputs, inputs[position]) == position)
                        {
                            taskReaders[source]++;
                        }

                        break;
                    case FlowNodeKind.Map when position == 0:
                    case FlowNodeKind.Merge or FlowNodeKind.Item:
                        readByRunner[source] = true;
                        break;
                    default:
                        composite[source] = true;
                        break;
                }
            }
        }

        foreach (var branch in graph.Branches)
        {
            var condition = graph.NodeOfSlot(branch.ConditionSlot);
            if (condition >= 0)
            {
                readByRunner[condition] = true;
            }
        }

        for (var i = 0; i < uses.Length; i++)
        {
            uses[i] = new ResultUse(readByRunner[i], taskReaders[i], composite[i]);
        }

        return uses;
    }
}
