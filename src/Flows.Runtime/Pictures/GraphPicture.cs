namespace Flows.Pictures;

/// <summary>How a picture draws a node that runs code.</summary>
internal enum PictureShape
{
    /// <summary>One call of a task.</summary>
    Task,

    /// <summary>A <c>Flow.Map</c>: one call per element.</summary>
    Map,

    /// <summary>A <c>Flow.TryMap</c>: one call per element, each element's outcome kept.</summary>
    TryMap,
}

/// <summary>What an edge of a picture means, and so how it is drawn.</summary>
internal enum PictureEdgeStyle
{
    /// <summary>The target reads the source's result (a solid arrow).</summary>
    Data,

    /// <summary>The target waits for the source and reads nothing of it: statement order, a finally (dashed).</summary>
    Order,

    /// <summary>Whether the target runs depends on the source: a branch's condition, a try's failure (dotted, round head).</summary>
    Condition,
}

/// <summary>What a cluster of a picture stands for.</summary>
internal enum PictureClusterKind
{
    Subflow,
    Branch,
    Try,
    Catch,
    Finally,
}

/// <summary>A node of a picture: a task or map node of the flow or of one of its subflows.</summary>
/// <param name="Id">An id valid in Mermaid and DOT, stable for the same graph (built from node indices).</param>
/// <param name="RunName">The node's name in <c>run.Tasks</c>: <c>Sub/Name</c> inside a subflow.</param>
/// <param name="Name">The node's own name.</param>
/// <param name="TaskName">The task method's name when it differs from the node's name, else null.</param>
/// <param name="Shape">How it is drawn.</param>
/// <param name="Cluster">The innermost cluster holding it, or -1.</param>
internal sealed record PictureNode(string Id, string RunName, string Name, string? TaskName, PictureShape Shape, int Cluster);

/// <summary>An edge between two picture nodes, by index.</summary>
internal readonly record struct PictureEdge(int From, int To, PictureEdgeStyle Style);

/// <summary>A box around nodes: a subflow, a branch, a try block, a catch block, a finally block.</summary>
/// <param name="Id">An id valid in Mermaid and DOT (DOT adds its <c>cluster_</c> prefix).</param>
/// <param name="Label">What the box says: <c>if big</c>, <c>catch IOException</c>, <c>subflow Clean</c>.</param>
/// <param name="Kind">What it stands for.</param>
/// <param name="Parent">The cluster around it, or -1.</param>
internal sealed record PictureCluster(string Id, string Label, PictureClusterKind Kind, int Parent);

/// <summary>
/// A flow graph as it is drawn: the nodes that run code (with subflows opened up), the edges
/// between them once the nodes that run no code (joins, merges, tuple items, try ends) are folded
/// away, and the clusters that show the body's structure. Built once per graph; every writer
/// (Mermaid, DOT, SVG) draws from it, so they agree.
/// </summary>
internal sealed class GraphPicture
{
    public GraphPicture(string flowName, IReadOnlyList<PictureNode> nodes, IReadOnlyList<PictureEdge> edges, IReadOnlyList<PictureCluster> clusters)
    {
        FlowName = flowName;
        Nodes = nodes;
        Edges = edges;
        Clusters = clusters;
    }

    public string FlowName { get; }

    /// <summary>In topological order: an edge always goes from a lower index to a higher one.</summary>
    public IReadOnlyList<PictureNode> Nodes { get; }

    /// <summary>Sorted by target, then source; at most one per pair.</summary>
    public IReadOnlyList<PictureEdge> Edges { get; }

    /// <summary>A cluster's parent comes before it.</summary>
    public IReadOnlyList<PictureCluster> Clusters { get; }
}
