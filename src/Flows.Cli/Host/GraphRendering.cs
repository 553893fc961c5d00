using Flows.Graph;

namespace Flows.Cli.Host;

/// <summary>The one place <c>flows graph</c> turns a flow's graph into text.</summary>
internal static class GraphRendering
{
    /// <summary>The text of <paramref name="graph"/> in <paramref name="format"/> (<c>mermaid</c> or <c>dot</c>): what <c>XFlow.ToMermaid()</c>/<c>ToDot()</c> give.</summary>
    public static string Render(FlowGraph graph, string format) => format switch
    {
        "mermaid" => graph.ToMermaid(),
        "dot" => graph.ToDot(),
        _ => throw new CliException($"flows graph: --format {format} is not a format; use mermaid or dot (flow '{graph.Name}')."),
    };
}
