using System.Reflection;

namespace Flows.Graph;

/// <summary>
/// The flows an assembly defines, as the source generator listed them at compile time: what a tool (the
/// <c>flows</c> command, a scheduler, an admin page) shows and runs without knowing the flows' types.
/// </summary>
public static class FlowCatalog
{
    /// <summary>
    /// The flows of <paramref name="assembly"/>, sorted by <see cref="FlowCatalogEntry.Id"/>: every
    /// <c>public</c> or <c>internal</c> <c>[Flow]</c> method whose body compiled, in a type that is itself
    /// reachable from the assembly. Empty for an assembly without flows (or built without the Flows generator).
    /// </summary>
    /// <exception cref="FlowDefinitionException">The assembly names a catalog that is not one (built by another version of the generator).</exception>
    public static IReadOnlyList<FlowCatalogEntry> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var attribute = assembly.GetCustomAttribute<FlowCatalogAttribute>();
        if (attribute is null)
        {
            return Array.Empty<FlowCatalogEntry>();
        }

        if (Activator.CreateInstance(attribute.CatalogType) is not IFlowCatalog catalog)
        {
            throw new FlowDefinitionException(
                $"Assembly '{assembly.GetName().Name}' names '{attribute.CatalogType.FullName}' as its flow catalog, which does not implement {nameof(IFlowCatalog)}. " +
                "Rebuild the assembly with the Flows package version it references.");
        }

        return catalog.Flows;
    }
}
