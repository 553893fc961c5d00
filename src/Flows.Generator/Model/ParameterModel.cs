namespace Flows.Generator.Model;

/// <summary>A graph input of a flow: one of the flow method's parameters.</summary>
/// <param name="Name">The parameter's name as written in the flow's signature (escaped if a keyword).</param>
/// <param name="GraphName">The plain name recorded in the graph.</param>
/// <param name="Type">The parameter's type, a <c>global::</c> name.</param>
internal sealed record ParameterModel(string Name, string GraphName, string Type);
