namespace Flows.Generator.Model;

/// <summary>What the assembly's flow catalog file holds.</summary>
/// <param name="Namespace">The generated namespace, <c>Flows.Generated.&lt;assembly&gt;</c>, the registry's.</param>
/// <param name="Flows">The flows code outside their types can reach, sorted by id.</param>
internal sealed record CatalogModel(string Namespace, EquatableArray<CatalogFlowModel> Flows);

/// <summary>One flow of the catalog.</summary>
/// <param name="Id">The flow method's stable identity, <c>Namespace.Type.Method</c>.</param>
/// <param name="DeclaringType">The containing type, a <c>global::</c> name.</param>
/// <param name="MethodName">The flow method's name.</param>
/// <param name="FlowClass">The generated <c>&lt;Method&gt;Flow</c> class, a <c>global::</c> name.</param>
/// <param name="Signature">Its parameters and result type.</param>
internal sealed record CatalogFlowModel(string Id, string DeclaringType, string MethodName, string FlowClass, CatalogSignatureModel Signature);
