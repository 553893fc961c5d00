using System.Globalization;
using Flows.Graph;

namespace Flows.Pictures;

/// <summary>What the box of a branch says: <c>if big</c>, <c>if not strict</c>, <c>switch mode: case Fast</c>, <c>catch IOException</c>.</summary>
internal static class BranchLabels
{
    public static string Of(FlowGraph graph, int branch)
    {
        var b = graph.Branches[branch];
        var condition = ConditionName(graph, b.ConditionSlot);
        switch (b.Test)
        {
            case FlowBranchTest.Caught:
                var tryEnd = graph.Nodes[graph.NodeOfSlot(b.ConditionSlot)];
                return "catch " + ShortTypeName(tryEnd.CatchClauses[b.Clause]);
            case FlowBranchTest.NothingCaught:
                return "no failure";
            case FlowBranchTest.Equals when b.Values is [bool yes]:
                return (yes ? "if " : "if not ") + condition;
            case FlowBranchTest.Equals:
                return $"switch {condition}: case {string.Join(", ", b.Values.Select(Value))}";
            default:
                return $"switch {condition}: default";
        }
    }

    /// <summary>A condition by what it reads: the parameter, or the node (a merged local by its local's name).</summary>
    private static string ConditionName(FlowGraph graph, int slot)
    {
        if (slot < graph.ParameterNames.Count)
        {
            return graph.ParameterNames[slot];
        }

        var node = graph.NodeOfSlot(slot);
        if (node < 0)
        {
            return "constant";
        }

        var name = graph.Nodes[node].Name;
        return name.Length > 2 && name[0] == '<' && name[^1] == '>' ? name[1..^1] : name;
    }

    private static string Value(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        char c => "'" + c + "'",
        bool flag => flag ? "true" : "false",
        IFormattable formattable and not Enum => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    internal static string ShortTypeName(string fullName)
    {
        var cut = fullName.LastIndexOfAny(new[] { '.', '+' });
        return cut < 0 ? fullName : fullName[(cut + 1)..];
    }
}
