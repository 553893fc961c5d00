namespace Flows.Pictures;

/// <summary>
/// Places a picture's nodes for the report's SVG, top to bottom: a node's layer is its longest
/// path from a node with no upstream; nodes within a layer are ordered by the mean position of their
/// neighbours, swept down and up a few times, keeping each cluster's nodes next to each other; a
/// cluster's box is the box around its nodes and clusters.
/// </summary>
internal sealed class LayeredLayout
{
    public const double NodeWidth = 196;
    public const double NodeHeight = 46;
    public const double NodeGap = 22;
    public const double ClusterPad = 10;
    public const double ClusterLabel = 16;
    public const double Margin = 16;
    private const int Sweeps = 6;

    private LayeredLayout(int nodes, int clusters)
    {
        X = new double[nodes];
        Y = new double[nodes];
        LayerOf = new int[nodes];
        Boxes = new (double X, double Y, double Width, double Height)?[clusters];
    }

    /// <summary>Left edge of each node.</summary>
    public double[] X { get; }

    /// <summary>Top edge of each node.</summary>
    public double[] Y { get; }

    /// <summary>The layer of each node, 0 at the top.</summary>
    public int[] LayerOf { get; }

    /// <summary>The vertical space between two layers.</summary>
    public double LayerGap { get; private set; }

    /// <summary>The box of each cluster, null for one with no nodes.</summary>
    public (double X, double Y, double Width, double Height)?[] Boxes { get; }

    public double Width { get; private set; }

    public double Height { get; private set; }

    public static LayeredLayout Compute(GraphPicture picture)
    {
        var n = picture.Nodes.Count;
        var layout = new LayeredLayout(n, picture.Clusters.Count);
        var upstream = new List<int>[n];
        var downstream = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            upstream[i] = new List<int>();
            downstream[i] = new List<int>();
        }

        foreach (var edge in picture.Edges)
        {
            upstream[edge.To].Add(edge.From);
            downstream[edge.From].Add(edge.To);
        }

        // Edges go from lower to higher indexes, so one pass in index order gives longest paths.
        var layerOf = layout.LayerOf;
        for (var i = 0; i < n; i++)
        {
            foreach (var u in upstream[i])
            {
                layerOf[i] = Math.Max(layerOf[i], layerOf[u] + 1);
            }
        }

        var layerCount = n == 0 ? 0 : layerOf.Max() + 1;
        var layers = Enumerable.Range(0, layerCount).Select(l => Enumerable.Range(0, n).Where(i => layerOf[i] == l).ToList()).ToList();
        var chains = picture.Nodes.Select(node => ChainOf(picture, node.Cluster)).ToArray();
        var position = new double[n];
        foreach (var layer in layers)
        {
            for (var k = 0; k < layer.Count; k++)
            {
                position[layer[k]] = k;
            }
        }

        for (var sweep = 0; sweep < Sweeps; sweep++)
        {
            var down = sweep % 2 == 0;
            var neighbours = down ? upstream : downstream;
            for (var step = 0; step < layerCount; step++)
            {
                var layer = layers[down ? step : layerCount - 1 - step];
                var centre = layer.ToDictionary(v => v, v => neighbours[v].Count == 0 ? position[v] : neighbours[v].Average(u => position[u]));
                var ordered = Group(layer, centre, chains, 0);
                layer.Clear();
                layer.AddRange(ordered);
                for (var k = 0; k < layer.Count; k++)
                {
                    position[layer[k]] = k;
                }
            }
        }

        var maxDepth = chains.Length == 0 ? 0 : chains.Max(c => c.Length);
        var layerGap = layout.LayerGap = 34 + ((ClusterPad + ClusterLabel) * Math.Min(maxDepth, 4));
        var widths = new double[layerCount];
        for (var l = 0; l < layerCount; l++)
        {
            var x = 0.0;
            int[]? previous = null;
            foreach (var v in layers[l])
            {
                var common = previous is null ? 0 : Common(previous, chains[v]);
                x += previous is null ? ClusterPad * chains[v].Length : NodeGap + (ClusterPad * ((previous.Length - common) + (chains[v].Length - common)));
                layout.X[v] = x;
                x += NodeWidth;
                previous = chains[v];
            }

            widths[l] = x + (previous is null ? 0 : ClusterPad * previous.Length);
        }

        var widest = widths.Length == 0 ? NodeWidth : widths.Max();
        var top = Margin + ((ClusterPad + ClusterLabel) * Math.Min(maxDepth, 4));
        for (var l = 0; l < layerCount; l++)
        {
            var shift = Margin + ((widest - widths[l]) / 2);
            foreach (var v in layers[l])
            {
                layout.X[v] += shift;
                layout.Y[v] = top + (l * (NodeHeight + layerGap));
            }
        }

        // Children come after their parents in the list, so a backward pass sees a box's children first.
        for (var c = picture.Clusters.Count - 1; c >= 0; c--)
        {
            double left = double.MaxValue, upper = double.MaxValue, right = double.MinValue, lower = double.MinValue;
            for (var v = 0; v < n; v++)
            {
                if (picture.Nodes[v].Cluster == c)
                {
                    left = Math.Min(left, layout.X[v]);
                    upper = Math.Min(upper, layout.Y[v]);
                    right = Math.Max(right, layout.X[v] + NodeWidth);
                    lower = Math.Max(lower, layout.Y[v] + NodeHeight);
                }
            }

            for (var child = c + 1; child < picture.Clusters.Count; child++)
            {
                if (picture.Clusters[child].Parent == c && layout.Boxes[child] is { } box)
                {
                    left = Math.Min(left, box.X);
                    upper = Math.Min(upper, box.Y);
                    right = Math.Max(right, box.X + box.Width);
                    lower = Math.Max(lower, box.Y + box.Height);
                }
            }

            if (left <= right)
            {
                layout.Boxes[c] = (left - ClusterPad, upper - ClusterPad - ClusterLabel, right - left + (2 * ClusterPad), lower - upper + (2 * ClusterPad) + ClusterLabel);
            }
        }

        layout.Width = widest + (2 * Margin) + 24;
        layout.Height = layerCount == 0 ? 2 * Margin : layout.Y.Max() + NodeHeight + Margin + (ClusterPad * Math.Min(maxDepth, 4));
        return layout;
    }

    /// <summary>The clusters around a node, outermost first.</summary>
    private static int[] ChainOf(GraphPicture picture, int cluster)
    {
        var chain = new List<int>();
        for (var c = cluster; c >= 0; c = picture.Clusters[c].Parent)
        {
            chain.Add(c);
        }

        chain.Reverse();
        return chain.ToArray();
    }

    private static int Common(int[] a, int[] b)
    {
        var k = 0;
        while (k < a.Length && k < b.Length && a[k] == b[k])
        {
            k++;
        }

        return k;
    }

    /// <summary>
    /// Orders nodes by their centre, a cluster's nodes kept together at the mean centre of the group
    /// (recursively, one cluster level at a time); ties keep the earlier node first.
    /// </summary>
    private static List<int> Group(List<int> nodes, Dictionary<int, double> centre, int[][] chains, int depth)
    {
        var groups = nodes
            .GroupBy(v => chains[v].Length > depth ? chains[v][depth] : -1 - v)
            .Select(g => (Members: g.ToList(), Centre: g.Average(v => centre[v]), First: g.Min()))
            .OrderBy(g => g.Centre)
            .ThenBy(g => g.First)
            .ToList();
        var ordered = new List<int>(nodes.Count);
        foreach (var group in groups)
        {
            if (group.Members.Count == 1 || chains[group.Members[0]].Length <= depth)
            {
                ordered.AddRange(group.Members);
            }
            else
            {
                ordered.AddRange(Group(group.Members, centre, chains, depth + 1));
            }
        }

        return ordered;
    }
}
