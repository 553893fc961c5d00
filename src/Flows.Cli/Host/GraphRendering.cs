using Flows.Graph;

namespace Flows.Cli.Host;

/// <summary>The one place <c>flows graph</c> turns a flow's graph into text.</summary>
internal static class GraphRendering
{
    /// <summary>
    /// The text of <paramref name="graph"/> in <paramref name="format"/> (<c>mermaid</c> or <c>dot</c>).
    /// </summary>
    /// <remarks>
    /// The seam for the runtime's graph renderer (<c>ToMermaid</c>/<c>ToDot</c>), which this build of Flows does not
    /// have yet: until it is connected, the command says so.
    /// </remarks>
    public static string Render(FlowGraph graph, string format) =>
        throw new CliException(
            $"flows graph is not available yet: this build of Flows cannot draw graphs as {format} (flow '{graph.Name}', {graph.Nodes.Count} node(s)). " +
            "Use flows list to see the flows.");
}
