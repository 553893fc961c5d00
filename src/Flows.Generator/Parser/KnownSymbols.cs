using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// Recognizes the few framework and Flows symbols the parser cares about by name, so that no
/// lookup in the compilation is needed.
/// </summary>
internal static class KnownSymbols
{
    public const string FlowAttributeMetadataName = "Flows.FlowAttribute";

    public static bool IsFlowAttribute(INamedTypeSymbol? type) => IsFlowsType(type, "FlowAttribute");

    public static bool IsTaskAttribute(INamedTypeSymbol? type) => IsFlowsType(type, "TaskAttribute");

    public static AttributeData? FindAttribute(ISymbol symbol, bool task)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (task ? IsTaskAttribute(attribute.AttributeClass) : IsFlowAttribute(attribute.AttributeClass))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool IsTask(IMethodSymbol method) => FindAttribute(method.OriginalDefinition, task: true) is not null;

    public static bool IsFlow(IMethodSymbol method) => FindAttribute(method.OriginalDefinition, task: false) is not null;

    /// <summary><c>Flows.Flow.Map</c>, any overload.</summary>
    public static bool IsFlowMap(IMethodSymbol method) =>
        method.Name == "Map" && IsFlowsType(method.ContainingType, "Flow");

    public static bool IsCancellationToken(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary><c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public static bool IsTaskLike(ITypeSymbol? type, out ITypeSymbol? result, out bool isValueTask)
    {
        result = null;
        isValueTask = false;
        if (type is not INamedTypeSymbol { ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } named)
        {
            return false;
        }

        if (named.Name is not ("Task" or "ValueTask") || named.TypeArguments.Length > 1)
        {
            return false;
        }

        isValueTask = named.Name == "ValueTask";
        result = named.TypeArguments.Length == 1 ? named.TypeArguments[0] : null;
        return true;
    }

    public static bool IsTaskLike(ITypeSymbol? type) => IsTaskLike(type, out _, out _);

    /// <summary>The value a call of <paramref name="method"/> produces once awaited; null for none.</summary>
    public static ITypeSymbol? ResultType(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return null;
        }

        return IsTaskLike(method.ReturnType, out var result, out _) ? result : method.ReturnType;
    }

    private static bool IsFlowsType(INamedTypeSymbol? type, string name) =>
        type is { ContainingType: null } && type.Name == name &&
        type.ContainingNamespace is { Name: "Flows", ContainingNamespace.IsGlobalNamespace: true };
}
