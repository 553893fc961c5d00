using System.Text;

namespace Flows.Pictures;

/// <summary>The label lines of nodes and clusters, the same in every picture; and the tree of clusters to walk.</summary>
internal static class PictureText
{
    /// <summary>The first line of a node: its name; a map's with <c>×N</c> (N once a run has expanded it).</summary>
    public static string Title(PictureNode node, NodeStatus? status)
    {
        var title = node.Shape == PictureShape.Task ? node.Name
            : status is { Elements: > 0 } ? $"{node.Name} ×{status.Elements}"
            : node.Name + " ×N";
        return node.TaskName is null ? title : $"{title} ({node.TaskName})";
    }

    /// <summary>The lines under the title: a TryMap says so; a run adds its state or counts.</summary>
    public static IEnumerable<string> Details(PictureNode node, NodeStatus? status)
    {
        if (node.Shape == PictureShape.TryMap && status is not { Elements: > 0 })
        {
            yield return "outcomes kept";
        }

        if (status is not null)
        {
            yield return status.Summary;
        }
    }

    /// <summary>
    /// Per cluster (index + 1; 0 for the top), what it holds in the order of the body: a node as its
    /// index, a child cluster as the complement of its index (<c>~c</c>), ordered by first node.
    /// Clusters with no node are left out.
    /// </summary>
    public static List<int>[] Tree(GraphPicture picture)
    {
        var first = new int[picture.Clusters.Count];
        Array.Fill(first, int.MaxValue);
        for (var i = picture.Nodes.Count - 1; i >= 0; i--)
        {
            for (var c = picture.Nodes[i].Cluster; c >= 0; c = picture.Clusters[c].Parent)
            {
                first[c] = Math.Min(first[c], i);
            }
        }

        var items = new List<(int Key, int Item)>[picture.Clusters.Count + 1];
        for (var k = 0; k < items.Length; k++)
        {
            items[k] = new List<(int, int)>();
        }

        for (var i = 0; i < picture.Nodes.Count; i++)
        {
            items[picture.Nodes[i].Cluster + 1].Add((i, i));
        }

        for (var c = 0; c < picture.Clusters.Count; c++)
        {
            if (first[c] != int.MaxValue)
            {
                items[picture.Clusters[c].Parent + 1].Add((first[c], ~c));
            }
        }

        return items.Select(list => list.OrderBy(e => e.Key).ThenBy(e => e.Item).Select(e => e.Item).ToList()).ToArray();
    }

    /// <summary>Replaces control characters (a new line in a switch label) with spaces.</summary>
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }
}
