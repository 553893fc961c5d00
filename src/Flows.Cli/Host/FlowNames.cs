using Flows.Graph;

namespace Flows.Cli.Host;

/// <summary>
/// Finds a flow by the name the user gave: its method's name, else <c>Type.Method</c>, else the full
/// <c>Namespace.Type.Method</c> (its <see cref="FlowCatalogEntry.Id"/>). Exact case first, then any case.
/// </summary>
internal static class FlowNames
{
    public static FlowCatalogEntry Find(IReadOnlyList<FlowCatalogEntry> flows, string name, string project)
    {
        foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
        {
            var matches = flows.Where(f => Names(f).Any(n => string.Equals(n, name, comparison))).ToList();
            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count > 1)
            {
                var qualified = matches.Select(ShortestUniqueName(flows)).Order(StringComparer.Ordinal);
                throw new CliException($"More than one flow in '{project}' is named '{name}': say which with {string.Join(" or ", qualified)}.");
            }
        }

        var known = flows.Count == 0
            ? "it has none"
            : "its flows are " + string.Join(", ", flows.Select(ShortestUniqueName(flows)).Order(StringComparer.Ordinal));
        throw new CliException($"Project '{project}' has no flow named '{name}': {known} (see flows list).");
    }

    /// <summary>The method name when no other flow has it, else <c>Type.Method</c> when that is unique, else the id.</summary>
    public static Func<FlowCatalogEntry, string> ShortestUniqueName(IReadOnlyList<FlowCatalogEntry> flows) => flow =>
    {
        if (flows.Count(f => f.Name == flow.Name) == 1)
        {
            return flow.Name;
        }

        var typed = TypeQualified(flow);
        return flows.Count(f => TypeQualified(f) == typed) == 1 ? typed : flow.Id;
    };

    private static IEnumerable<string> Names(FlowCatalogEntry flow) => [flow.Name, TypeQualified(flow), flow.Id];

    private static string TypeQualified(FlowCatalogEntry flow) => flow.DeclaringType.Name + "." + flow.Name;
}
