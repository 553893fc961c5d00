using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>What it takes to move one task's inputs and result across a process boundary.</summary>
/// <param name="ParameterKeys">Shape keys of the parameters, in order; empty strings for cancellation tokens.</param>
/// <param name="ResultKey">Shape key of the result, or null for none.</param>
/// <param name="Problem">Why the task cannot run out of process, or null.</param>
/// <param name="Shapes">Every shape needed, sorted by key; empty when there is a problem.</param>
internal sealed record TaskSerialization(
    EquatableArray<string> ParameterKeys,
    string? ResultKey,
    string? Problem,
    EquatableArray<TypeShapeModel> Shapes)
{
    /// <summary>Analyzes <paramref name="method"/>'s parameter and result types.</summary>
    public static TaskSerialization Analyze(IMethodSymbol method)
    {
        var builder = new TypeShapeBuilder();
        string? problem = null;
        var keys = new List<string>();
        foreach (var parameter in method.Parameters)
        {
            if (KnownSymbols.IsBound(parameter.Type))
            {
                keys.Add(string.Empty);
                continue;
            }

            var key = builder.Add(parameter.Type);
            keys.Add(key);
            problem ??= builder.ProblemOf(key) is { } p
                ? $"its parameter '{parameter.Name}' is '{parameter.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}', and {p}"
                : null;
        }

        string? resultKey = null;
        if (KnownSymbols.ResultType(method) is { } result)
        {
            resultKey = builder.Add(result);
            problem ??= builder.ProblemOf(resultKey) is { } p
                ? $"its result is '{result.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}', and {p}"
                : null;
        }

        if (problem is null && !TypeShapeBuilder.IsAccessible(method))
        {
            problem = "it is not accessible from the assembly's generated task registry, which a worker process looks tasks up in; make the method (and the types around it) internal or public";
        }

        var roots = keys.Where(k => k.Length > 0).Concat(resultKey is null ? Enumerable.Empty<string>() : new[] { resultKey });
        var shapes = problem is null
            ? builder.UsableShapes(roots).OrderBy(s => s.Key, System.StringComparer.Ordinal).ToEquatableArray()
            : EquatableArray<TypeShapeModel>.Empty;
        return new TaskSerialization(
            problem is null ? keys.ToEquatableArray() : keys.Select(_ => string.Empty).ToEquatableArray(),
            problem is null ? resultKey : null,
            problem,
            shapes);
    }
}
