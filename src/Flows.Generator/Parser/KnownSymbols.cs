using System.Linq;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// Recognizes the few framework and Flows symbols the parser cares about by name, so that no
/// lookup in the compilation is needed.
/// </summary>
internal static class KnownSymbols
{
    public const string FlowAttributeMetadataName = "Flows.FlowAttribute";

    /// <summary>The assembly that declares <c>[Flow]</c>, <c>[Task]</c> and <c>[ExecutorKind]</c>.</summary>
    public const string AbstractionsAssemblyName = "Flows.Abstractions";

    /// <summary>Whether <paramref name="compilation"/> references Flows at all: without it there is nothing to analyze.</summary>
    public static bool ReferencesFlows(Compilation compilation) =>
        compilation.ReferencedAssemblyNames.Any(a => a.Name == AbstractionsAssemblyName);

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

    /// <summary><c>Flows.Flow.Map</c> or <c>Flows.Flow.TryMap</c>, any overload.</summary>
    public static bool IsFlowMap(IMethodSymbol method) =>
        method.Name is "Map" or "TryMap" && IsFlowsType(method.ContainingType, "Flow");

    /// <summary><c>Flows.Flow.TryMap</c>, any overload: a map that keeps each element's outcome.</summary>
    public static bool IsFlowTryMap(IMethodSymbol method) =>
        method.Name == "TryMap" && IsFlowsType(method.ContainingType, "Flow");

    /// <summary><c>Flow.After(...)</c>: statement order for steps that share no data.</summary>
    public static bool IsFlowAfter(IMethodSymbol method) =>
        method.Name == "After" && IsFlowsType(method.ContainingType, "Flow");

    public static bool IsCancellationToken(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>
    /// <c>Microsoft.Extensions.Logging.ILogger</c> or <c>ILogger&lt;T&gt;</c>: a task parameter the
    /// runtime binds to the attempt's logger, and a flow parameter that is passed on to tasks.
    /// </summary>
    public static bool IsLogger(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Interface, Name: "ILogger", TypeArguments.Length: <= 1, ContainingType: null } named &&
        IsLoggingNamespace(named.ContainingNamespace);

    /// <summary>The <c>T</c> of <c>ILogger&lt;T&gt;</c>; null for a plain <c>ILogger</c> or another type.</summary>
    public static ITypeSymbol? TypedLoggerArgument(ITypeSymbol? type) =>
        IsLogger(type) && type is INamedTypeSymbol { TypeArguments: [var argument] } ? argument : null;

    /// <summary><c>NullLogger</c> or <c>NullLogger&lt;T&gt;</c> of Microsoft.Extensions.Logging.Abstractions.</summary>
    public static bool IsNullLogger(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "NullLogger", ContainingType: null } named &&
        named.ContainingNamespace is { Name: "Abstractions" } ns && IsLoggingNamespace(ns.ContainingNamespace);

    /// <summary>A parameter the runtime binds (a <c>CancellationToken</c> or an <c>ILogger</c>): not a graph input, not serialized.</summary>
    public static bool IsBound(ITypeSymbol? type) => IsCancellationToken(type) || IsLogger(type);

    private static bool IsLoggingNamespace(INamespaceSymbol? ns) =>
        ns is { Name: "Logging", ContainingNamespace: { Name: "Extensions", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary><c>System.Exception</c> or a class derived from it.</summary>
    public static bool IsException(ITypeSymbol? type)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            if (t is { Name: "Exception", ContainingType: null, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>
    /// The kinds of executor <paramref name="type"/> is, from the <c>[ExecutorKind(...)]</c> on it or
    /// on its nearest base class that has one, with the class that declares it; <c>Unspecified</c>
    /// and null when none does (the abstract <c>FlowExecutor</c>, an interface, a type parameter).
    /// </summary>
    public static (ExecutorKinds Kinds, INamedTypeSymbol? DeclaredBy) ExecutorKindOf(ITypeSymbol? type)
    {
        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            foreach (var attribute in t.GetAttributes())
            {
                if (IsFlowsType(attribute.AttributeClass, "ExecutorKindAttribute") &&
                    attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int kinds)
                {
                    return ((ExecutorKinds)kinds, t);
                }
            }
        }

        return (ExecutorKinds.Unspecified, null);
    }

    /// <summary>The <c>RunsOn</c> of a <c>[Flow]</c> attribute; <c>Unspecified</c> when not set.</summary>
    public static ExecutorKinds RunsOn(AttributeData flowAttribute) =>
        flowAttribute.NamedArguments.FirstOrDefault(a => a.Key == "RunsOn").Value.Value is int kinds ? (ExecutorKinds)kinds : ExecutorKinds.Unspecified;

    private static bool IsFlowsType(INamedTypeSymbol? type, string name) =>
        type is { ContainingType: null } && type.Name == name &&
        type.ContainingNamespace is { Name: "Flows", ContainingNamespace.IsGlobalNamespace: true };
}
