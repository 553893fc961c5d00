namespace Flows.Pictures;

/// <summary>
/// Draws a run's picture as inline SVG, placed by <see cref="LayeredLayout"/>: cluster boxes first,
/// then edges, then nodes coloured by state (CSS classes of the report), each with its full name
/// and summary as a tooltip.
/// </summary>
internal static class SvgGraphWriter
{
    private const int TitleChars = 27;

    public static void Write(TextWriter output, RunPicture run)
    {
        var picture = run.Picture;
        var layout = LayeredLayout.Compute(picture);
        var w = HtmlText.Number(layout.Width);
        var h = HtmlText.Number(layout.Height);
        output.Write($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">\n");
        output.Write($"<title>{HtmlText.Escape(picture.FlowName)}</title>\n");
        output.Write("<defs>");
        output.Write("<marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#546e7a\"/></marker>");
        output.Write("<marker id=\"dot\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#fff\" stroke=\"#546e7a\" stroke-width=\"1.5\"/></marker>");
        output.Write("</defs>\n");

        for (var c = 0; c < picture.Clusters.Count; c++)
        {
            if (layout.Boxes[c] is not { } box)
            {
                continue;
            }

            var cluster = picture.Clusters[c];
            var kind = cluster.Kind.ToString().ToLowerInvariant();
            output.Write($"<g class=\"cluster {kind}\"><rect x=\"{HtmlText.Number(box.X)}\" y=\"{HtmlText.Number(box.Y)}\" width=\"{HtmlText.Number(box.Width)}\" height=\"{HtmlText.Number(box.Height)}\" rx=\"6\"/>");
            output.Write($"<text x=\"{HtmlText.Number(box.X + 8)}\" y=\"{HtmlText.Number(box.Y + 13)}\">{HtmlText.Escape(HtmlText.Clip(cluster.Label, 60))}</text></g>\n");
        }

        var detour = 0;
        foreach (var edge in picture.Edges)
        {
            var x1 = layout.X[edge.From] + (LayeredLayout.NodeWidth / 2);
            var y1 = layout.Y[edge.From] + LayeredLayout.NodeHeight;
            var x2 = layout.X[edge.To] + (LayeredLayout.NodeWidth / 2);
            var y2 = layout.Y[edge.To];
            var style = edge.Style.ToString().ToLowerInvariant();
            var marker = edge.Style == PictureEdgeStyle.Condition ? "dot" : "arrow";
            string path;
            if (layout.LayerOf[edge.To] - layout.LayerOf[edge.From] > 1)
            {
                // An edge over more than one layer goes down beside the nodes between, not through them.
                var side = Math.Max(x1, x2) + (LayeredLayout.NodeWidth / 2) + 8 + (4 * (detour++ % 4));
                var gap = (layout.LayerGap / 2) - 4;
                path = $"M{HtmlText.Number(x1)},{HtmlText.Number(y1)} C{HtmlText.Number(x1)},{HtmlText.Number(y1 + gap)} {HtmlText.Number(side)},{HtmlText.Number(y1)} {HtmlText.Number(side)},{HtmlText.Number(y1 + gap)} "
                    + $"L{HtmlText.Number(side)},{HtmlText.Number(y2 - gap)} C{HtmlText.Number(side)},{HtmlText.Number(y2)} {HtmlText.Number(x2)},{HtmlText.Number(y2 - gap)} {HtmlText.Number(x2)},{HtmlText.Number(y2)}";
            }
            else
            {
                var bend = Math.Max(20, (y2 - y1) / 2);
                path = $"M{HtmlText.Number(x1)},{HtmlText.Number(y1)} C{HtmlText.Number(x1)},{HtmlText.Number(y1 + bend)} {HtmlText.Number(x2)},{HtmlText.Number(y2 - bend)} {HtmlText.Number(x2)},{HtmlText.Number(y2)}";
            }

            output.Write($"<path class=\"edge {style}\" d=\"{path}\" marker-end=\"url(#{marker})\"/>\n");
        }

        for (var i = 0; i < picture.Nodes.Count; i++)
        {
            var node = picture.Nodes[i];
            var status = run.Statuses[i];
            var x = layout.X[i];
            var y = layout.Y[i];
            var title = PictureText.Title(node, status);
            var details = PictureText.Details(node, status).ToList();
            var state = PaintStates.ClassName(status.State);
            var shape = node.Shape.ToString().ToLowerInvariant();
            output.Write($"<g class=\"node {state} {shape}\"><title>{HtmlText.Escape(node.RunName + ": " + string.Join(", ", details))}</title>");
            if (node.Shape != PictureShape.Task)
            {
                // A map is a stack of cards.
                output.Write($"<rect class=\"back\" x=\"{HtmlText.Number(x + 5)}\" y=\"{HtmlText.Number(y - 5)}\" width=\"{HtmlText.Number(LayeredLayout.NodeWidth)}\" height=\"{HtmlText.Number(LayeredLayout.NodeHeight)}\" rx=\"5\"/>");
            }

            output.Write($"<rect x=\"{HtmlText.Number(x)}\" y=\"{HtmlText.Number(y)}\" width=\"{HtmlText.Number(LayeredLayout.NodeWidth)}\" height=\"{HtmlText.Number(LayeredLayout.NodeHeight)}\" rx=\"5\"/>");
            output.Write($"<text x=\"{HtmlText.Number(x + 10)}\" y=\"{HtmlText.Number(y + 19)}\" class=\"name\">{HtmlText.Escape(HtmlText.Clip(title, TitleChars))}</text>");
            if (details.Count > 0)
            {
                output.Write($"<text x=\"{HtmlText.Number(x + 10)}\" y=\"{HtmlText.Number(y + 36)}\" class=\"detail\">{HtmlText.Escape(HtmlText.Clip(details[^1], TitleChars + 4))}</text>");
            }

            output.Write("</g>\n");
        }

        output.Write("</svg>\n");
    }
}
