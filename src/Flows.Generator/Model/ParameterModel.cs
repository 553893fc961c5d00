namespace Flows.Generator.Model;

/// <summary>A graph input of a flow: one of the flow method's parameters.</summary>
/// <param name="Name">The parameter's name as written in the flow's signature (escaped if a keyword).</param>
/// <param name="GraphName">The plain name recorded in the graph.</param>
/// <param name="Type">The parameter's type, a <c>global::</c> name.</param>
/// <param name="RefusesNull">
/// True when the signature declares the parameter a non-nullable reference type: <c>RunAsync</c> then
/// throws <see cref="System.ArgumentNullException"/> for a null before any task runs. False for value
/// types, <c>T?</c>, type parameters and parameters declared where nullable annotations are disabled.
/// </param>
internal sealed record ParameterModel(string Name, string GraphName, string Type, bool RefusesNull)
{
    /// <summary>The shape key of its type, for the flow's arguments codec; empty when the flow's arguments cannot be serialized.</summary>
    public string ShapeKey { get; init; } = string.Empty;
}
