using System.Text;

namespace Flows.Pictures;

/// <summary>
/// Writes a picture as a Mermaid <c>flowchart TD</c>: a node per task (a map as a subroutine
/// shape), a subgraph per subflow, branch, try, catch and finally block, data edges solid, order
/// edges dashed, condition edges dashed with a round head; with a run, a class per state.
/// </summary>
internal static class MermaidWriter
{
    public static string Write(GraphPicture picture, NodeStatus[]? statuses)
    {
        var text = new StringBuilder();
        text.Append("flowchart TD\n");
        var tree = PictureText.Tree(picture);

        void WriteCluster(int cluster, string indent)
        {
            foreach (var item in tree[cluster + 1])
            {
                if (item >= 0)
                {
                    WriteNode(text, indent, picture.Nodes[item], statuses?[item]);
                    continue;
                }

                var child = ~item;
                var c = picture.Clusters[child];
                text.Append(indent).Append("subgraph ").Append(c.Id).Append(" [\"").Append(Escape(c.Label)).Append("\"]\n");
                WriteCluster(child, indent + "  ");
                text.Append(indent).Append("end\n");
            }
        }

        WriteCluster(-1, "  ");
        foreach (var edge in picture.Edges)
        {
            var arrow = edge.Style switch
            {
                PictureEdgeStyle.Data => " --> ",
                PictureEdgeStyle.Order => " -.-> ",
                _ => " -.-o ",
            };
            text.Append("  ").Append(picture.Nodes[edge.From].Id).Append(arrow).Append(picture.Nodes[edge.To].Id).Append('\n');
        }

        if (statuses is not null)
        {
            foreach (var state in PaintStates.All)
            {
                var members = Enumerable.Range(0, statuses.Length).Where(i => statuses[i].State == state).Select(i => picture.Nodes[i].Id).ToList();
                if (members.Count == 0)
                {
                    continue;
                }

                var (fill, stroke, colour) = PaintStates.Colours(state);
                var dash = PaintStates.Dashed(state) ? ",stroke-dasharray:4 3" : string.Empty;
                text.Append("  classDef ").Append(PaintStates.ClassName(state)).Append(" fill:").Append(fill).Append(",stroke:").Append(stroke)
                    .Append(",color:").Append(colour).Append(dash).Append('\n');
                text.Append("  class ").Append(string.Join(",", members)).Append(' ').Append(PaintStates.ClassName(state)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void WriteNode(StringBuilder text, string indent, PictureNode node, NodeStatus? status)
    {
        var label = Escape(PictureText.Title(node, status));
        foreach (var line in PictureText.Details(node, status))
        {
            label += "<br/>" + Escape(line);
        }

        var (open, close) = node.Shape == PictureShape.Task ? ("[\"", "\"]") : ("[[\"", "\"]]");
        text.Append(indent).Append(node.Id).Append(open).Append(label).Append(close).Append('\n');
    }

    /// <summary>
    /// Escapes a label for a quoted Mermaid string, whose text Mermaid reads as HTML and as its own
    /// entity codes (<c>#35;</c>): quotes, <c>#</c>, <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> and
    /// backticks (which start Markdown) become codes; other characters, unicode included, stay.
    /// </summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in PictureText.OneLine(text))
        {
            switch (c)
            {
                case '"':
                    builder.Append("#quot;");
                    break;
                case '#':
                    builder.Append("#35;");
                    break;
                case '&':
                    builder.Append("#amp;");
                    break;
                case '<':
                    builder.Append("#lt;");
                    break;
                case '>':
                    builder.Append("#gt;");
                    break;
                case '`':
                    builder.Append("#96;");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }
}
