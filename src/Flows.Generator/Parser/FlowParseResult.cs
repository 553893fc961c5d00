using System.Collections.Immutable;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

/// <summary>
/// What the parser found in one flow: the model when the body can be compiled into a graph,
/// else the reasons. The generator keeps only <see cref="Model"/>; the analyzer reports the rest.
/// </summary>
internal sealed class FlowParseResult
{
    public FlowParseResult(FlowModel? model, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<SubflowCall> subflowCalls, ImmutableArray<NodeSite> nodeSites)
    {
        NodeSites = nodeSites;
        Model = model;
        Diagnostics = diagnostics;
        SubflowCalls = subflowCalls;
    }

    /// <summary>The flow's model; null when the body is refused.</summary>
    public FlowModel? Model { get; }

    /// <summary>Why the body is refused, each at the offending syntax.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>The calls of flows in this compilation, which the analyzer checks once every flow is parsed.</summary>
    public ImmutableArray<SubflowCall> SubflowCalls { get; }

    /// <summary>
    /// Where each node of <see cref="Model"/> is called, index for index (the analyzers point at
    /// these calls); meaningful only when <see cref="Model"/> is not null.
    /// </summary>
    public ImmutableArray<NodeSite> NodeSites { get; }
}

/// <summary>A call of a flow defined in source, from a flow body.</summary>
/// <param name="Callee">The called flow.</param>
/// <param name="Location">The call.</param>
internal readonly record struct SubflowCall(IMethodSymbol Callee, Location Location);

/// <summary>The call in the flow body that a graph node stands for; default for a node that runs no code (a join, a merge).</summary>
/// <param name="Target">The task (for task and map nodes) or flow (for subflow nodes) the node runs.</param>
/// <param name="Call">The call as written: <c>Parse(lines)</c> or <c>Flow.Map(Parse, chunks)</c>.</param>
internal readonly record struct NodeSite(IMethodSymbol? Target, InvocationExpressionSyntax? Call);
