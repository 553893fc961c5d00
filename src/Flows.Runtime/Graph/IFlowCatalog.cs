using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// Every flow of one assembly that code outside its type can reach: generated once per assembly that has
/// flows, and named by <see cref="FlowCatalogAttribute"/>. Read it with <see cref="FlowCatalog.Load"/>.
/// </summary>
/// <remarks>Implemented by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IFlowCatalog
{
    /// <summary>The flows, sorted by <see cref="FlowCatalogEntry.Id"/>.</summary>
    IReadOnlyList<FlowCatalogEntry> Flows { get; }
}
