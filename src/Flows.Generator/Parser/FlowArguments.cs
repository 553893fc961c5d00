using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// What it takes to keep a flow's arguments in a store: the shapes of its graph parameters' types,
/// as a task's inputs have (<see cref="TaskSerialization"/>).
/// </summary>
/// <param name="Parameters">The graph parameters, each with its shape key (all empty when there is a problem).</param>
/// <param name="Problem">Why the arguments cannot be serialized, or null.</param>
/// <param name="Shapes">Every shape needed, sorted by key; empty when there is a problem.</param>
internal sealed record FlowArguments(
    EquatableArray<ParameterModel> Parameters,
    string? Problem,
    EquatableArray<TypeShapeModel> Shapes)
{
    /// <summary>Analyzes the types of <paramref name="flow"/>'s graph parameters, <paramref name="parameters"/> in order.</summary>
    public static FlowArguments Analyze(IMethodSymbol flow, EquatableArray<ParameterModel> parameters)
    {
        var builder = new TypeShapeBuilder();
        var keys = new List<string>();
        string? problem = null;
        foreach (var parameter in flow.Parameters.Where(p => !KnownSymbols.IsBound(p.Type)))
        {
            var key = builder.Add(parameter.Type);
            keys.Add(key);
            problem ??= builder.ProblemOf(key) is { } p
                ? $"its parameter '{parameter.Name}' is '{parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}', and {p}"
                : null;
        }

        if (problem is not null || keys.Count != parameters.Count)
        {
            return new FlowArguments(parameters, problem ?? "its parameters are not its graph inputs", EquatableArray<TypeShapeModel>.Empty);
        }

        return new FlowArguments(
            parameters.Select((p, i) => p with { ShapeKey = keys[i] }).ToEquatableArray(),
            null,
            builder.UsableShapes(keys).OrderBy(s => s.Key, System.StringComparer.Ordinal).ToEquatableArray());
    }
}
