using System.Globalization;

namespace Flows.Pictures;

/// <summary>
/// A <see cref="GraphPicture"/> with what one run did at each node, matched by the task runs'
/// names (<c>Name</c>, <c>Name[i]</c> for a map's element, <c>Sub/Name</c> inside a subflow), so that
/// it is the same whichever executor ran the flow.
/// </summary>
internal sealed class RunPicture
{
    private RunPicture(GraphPicture picture, NodeStatus[] statuses)
    {
        Picture = picture;
        Statuses = statuses;
    }

    public GraphPicture Picture { get; }

    /// <summary>One per picture node, index for index.</summary>
    public NodeStatus[] Statuses { get; }

    public static RunPicture Of(GraphPicture picture, IEnumerable<TaskRun> tasks)
    {
        var statuses = picture.Nodes.Select(_ => new NodeStatus()).ToArray();

        // A subflow that never started has one record under its own name: its nodes take its state.
        var unstarted = new List<(string Prefix, TaskRun Run)>();
        foreach (var (node, element, task) in Match(picture, tasks))
        {
            if (node < 0)
            {
                unstarted.Add((task.Name + "/", task));
            }
            else if (element < 0)
            {
                statuses[node].AddSingle(task);
            }
            else
            {
                statuses[node].AddElement(element, task);
            }
        }

        for (var i = 0; i < statuses.Length; i++)
        {
            if (statuses[i].Single is null && statuses[i].Elements == 0)
            {
                foreach (var (prefix, run) in unstarted)
                {
                    if (picture.Nodes[i].RunName.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        statuses[i].AddSingle(run with { Name = picture.Nodes[i].RunName, Attempts = 0, Start = null, Duration = TimeSpan.Zero });
                        break;
                    }
                }
            }
        }

        return new RunPicture(picture, statuses);
    }

    /// <summary>
    /// The picture node of each task run (-1 for a record of no picture node: a subflow that never
    /// started), and its element for a map's element run (-1 otherwise).
    /// </summary>
    public static IEnumerable<(int Node, int Element, TaskRun Run)> Match(GraphPicture picture, IEnumerable<TaskRun> tasks)
    {
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < picture.Nodes.Count; i++)
        {
            byName[picture.Nodes[i].RunName] = i;
        }

        foreach (var task in tasks)
        {
            if (byName.TryGetValue(task.Name, out var node))
            {
                yield return (node, -1, task);
            }
            else if (ElementOf(task.Name) is var (name, element) && byName.TryGetValue(name, out node))
            {
                yield return (node, element, task);
            }
            else
            {
                yield return (-1, -1, task);
            }
        }
    }

    /// <summary>Splits <c>Name[12]</c> into the map's name and the element; null for any other name.</summary>
    private static (string Name, int Element)? ElementOf(string name)
    {
        if (name.Length < 4 || name[^1] != ']')
        {
            return null;
        }

        var open = name.LastIndexOf('[');
        return open > 0 && int.TryParse(name.AsSpan(open + 1, name.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var element)
            ? (name[..open], element)
            : null;
    }
}
