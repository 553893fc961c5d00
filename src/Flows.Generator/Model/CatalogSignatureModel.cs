namespace Flows.Generator.Model;

/// <summary>A flow's signature as its catalog entry lists it.</summary>
/// <param name="Parameters">Every parameter of the flow method, in order, bound ones too.</param>
/// <param name="ResultType">The result type as <c>typeof</c> takes it (<c>global::</c>, no nullable reference annotation), or null.</param>
/// <param name="ResultTypeName">The result type as the signature writes it, or null.</param>
internal sealed record CatalogSignatureModel(EquatableArray<CatalogParameterModel> Parameters, string? ResultType, string? ResultTypeName);

/// <summary>One parameter of a flow method.</summary>
/// <param name="Name">The name in the signature.</param>
/// <param name="Type">The type as <c>typeof</c> takes it.</param>
/// <param name="TypeName">The type as the signature writes it, for display.</param>
/// <param name="IsBound">The runtime supplies the value (not a graph input): a cancellation token.</param>
/// <param name="AllowsNull">Null is a valid argument.</param>
internal sealed record CatalogParameterModel(string Name, string Type, string TypeName, bool IsBound, bool AllowsNull);
