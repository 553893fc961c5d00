using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Flows.Graph;

/// <summary>Names the generated <see cref="IFlowCatalog"/> of an assembly: what <see cref="FlowCatalog.Load"/> reads.</summary>
/// <remarks>Applied by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class FlowCatalogAttribute : Attribute
{
    /// <summary>Names the catalog type; it must implement <see cref="IFlowCatalog"/> and have a public parameterless constructor.</summary>
    public FlowCatalogAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type catalogType) =>
        CatalogType = catalogType;

    /// <summary>The catalog type.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type CatalogType { get; }
}
