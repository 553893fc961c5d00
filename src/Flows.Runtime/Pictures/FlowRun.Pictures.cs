using System.Text;
using Flows.Graph;
using Flows.Pictures;

namespace Flows;

public partial class FlowRun
{
    private RunPicture? _pictured;

    /// <summary>The graph that ran; null for a run record made without one.</summary>
    internal FlowGraph? Graph { get; init; }

    /// <summary>
    /// The flow's graph as a Mermaid <c>flowchart TD</c>, each node coloured by what this run did
    /// (a class per state: <c>succeeded</c>, <c>failed</c>, <c>skipped</c>, <c>nottaken</c> for a
    /// branch not taken, <c>cached</c>, <c>restored</c>...), a map with its counts
    /// ("118 succeeded, 2 failed of 120"), a subflow's tasks in its subgraph.
    /// </summary>
    public string ToMermaid() => MermaidWriter.Write(Pictured().Picture, Pictured().Statuses);

    /// <summary>The flow's graph as a Graphviz <c>digraph</c>, coloured as <see cref="ToMermaid"/> colours it.</summary>
    public string ToDot() => DotWriter.Write(Pictured().Picture, Pictured().Statuses);

    /// <summary>
    /// Writes a report of the run to <paramref name="path"/>: one self-contained HTML file (no script,
    /// font or style sheet from the network) with the run's header, the graph drawn as SVG coloured by
    /// state, the table of tasks with their durations and failures, and a timeline.
    /// </summary>
    /// <param name="path">The file to write (replaced if it exists); its folder must exist.</param>
    public void WriteHtmlReport(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        WriteHtmlReport(writer);
    }

    /// <summary>Writes the report <see cref="WriteHtmlReport(string)"/> writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the HTML goes; it is not closed.</param>
    public void WriteHtmlReport(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        HtmlReportWriter.Write(writer, this, Pictured());
    }

    private RunPicture Pictured()
    {
        var graph = Graph ?? throw new InvalidOperationException($"The run of flow '{FlowName}' has no graph to draw; pictures are made of runs that FlowRunner or a generated RunAsync returned.");
        return _pictured ??= RunPicture.Of(graph.Picture, Tasks);
    }
}
