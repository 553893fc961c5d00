using System.Text;

namespace Flows.Pictures;

/// <summary>
/// Writes a picture as a Graphviz <c>digraph</c>: a box per task (a map as <c>box3d</c>), a
/// <c>cluster_</c> subgraph per subflow, branch, try, catch and finally block, order edges dashed,
/// condition edges dotted with a round head; with a run, each node filled by its state and given
/// its state as <c>class</c> (which SVG output keeps).
/// </summary>
internal static class DotWriter
{
    public static string Write(GraphPicture picture, NodeStatus[]? statuses)
    {
        var text = new StringBuilder();
        text.Append("digraph ").Append(Quote(picture.FlowName)).Append(" {\n");
        text.Append("  rankdir=TB;\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#546e7a\", fontname=\"Helvetica\", fontsize=11];\n");
        text.Append("  edge [color=\"#546e7a\", arrowsize=0.7];\n");
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
                text.Append(indent).Append("subgraph ").Append(Quote("cluster_" + c.Id)).Append(" {\n");
                var style = c.Kind == PictureClusterKind.Subflow ? "rounded" : "rounded,dashed";
                text.Append(indent).Append("  label=").Append(Quote(c.Label)).Append("; style=\"").Append(style)
                    .Append("\"; color=\"#90a4ae\"; fontname=\"Helvetica\"; fontsize=10;\n");
                WriteCluster(child, indent + "  ");
                text.Append(indent).Append("}\n");
            }
        }

        WriteCluster(-1, "  ");
        foreach (var edge in picture.Edges)
        {
            text.Append("  ").Append(picture.Nodes[edge.From].Id).Append(" -> ").Append(picture.Nodes[edge.To].Id);
            text.Append(edge.Style switch
            {
                PictureEdgeStyle.Data => ";\n",
                PictureEdgeStyle.Order => " [style=dashed];\n",
                _ => " [style=dotted, arrowhead=odot];\n",
            });
        }

        text.Append("}\n");
        return text.ToString();
    }

    private static void WriteNode(StringBuilder text, string indent, PictureNode node, NodeStatus? status)
    {
        var label = string.Join("\n", new[] { PictureText.Title(node, status) }.Concat(PictureText.Details(node, status)));
        text.Append(indent).Append(node.Id).Append(" [label=").Append(Quote(label));
        if (node.Shape != PictureShape.Task)
        {
            text.Append(", shape=box3d");
        }

        if (status is not null)
        {
            var state = status.State;
            var (fill, stroke, colour) = PaintStates.Colours(state);
            var style = PaintStates.Dashed(state) ? "rounded,filled,dashed" : "rounded,filled";
            text.Append(", class=").Append(PaintStates.ClassName(state))
                .Append(", style=\"").Append(style).Append('"')
                .Append(", fillcolor=\"").Append(fill).Append("\", color=\"").Append(stroke).Append("\", fontcolor=\"").Append(colour).Append('"');
        }

        text.Append("];\n");
    }

    /// <summary>
    /// A DOT quoted string: quotes and backslashes escaped (a backslash would start <c>\N</c> or
    /// <c>\l</c>), a line break as <c>\n</c>, other control characters as spaces, unicode kept.
    /// </summary>
    internal static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                default:
                    builder.Append(char.IsControl(c) ? ' ' : c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
