using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Parser;

/// <summary>Turns symbols into the strings the model holds.</summary>
internal static class TypeNames
{
    private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A <c>global::</c> qualified type name, with nullable annotations.</summary>
    public static string Global(ITypeSymbol type) => type.ToDisplayString(s_fullyQualified);

    /// <summary>A method's <c>global::</c> qualified name, without its parameters.</summary>
    public static string GlobalMethod(IMethodSymbol method) =>
        Global(method.ContainingType) + "." + Identifier(method.Name);

    /// <summary><c>Namespace.Outer.Type.Method</c>, without <c>global::</c>; the stable id of tasks and flows.</summary>
    public static string Id(IMethodSymbol method) => TypeId(method.ContainingType) + "." + method.Name;

    /// <summary><c>Namespace.Outer.Type</c>.</summary>
    public static string TypeId(INamedTypeSymbol type)
    {
        var builder = new StringBuilder(type.Name);
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            builder.Insert(0, outer.Name + ".");
        }

        var ns = Namespace(type);
        return ns.Length == 0 ? builder.ToString() : ns + "." + builder;
    }

    /// <summary>
    /// The name the runtime gives the type (<c>System.Type.FullName</c>): <c>Namespace.Outer+Inner</c>,
    /// with the generic arity (<c>Failure`1</c>). A generic type is named by its definition, as
    /// <c>ExceptionNames</c> names the types in a failure's chain.
    /// </summary>
    public static string RuntimeName(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        var builder = new StringBuilder(type.MetadataName);
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            builder.Insert(0, outer.MetadataName + "+");
        }

        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            builder.Insert(0, ns.MetadataName + ".");
        }

        return builder.ToString();
    }

    /// <summary>The namespace as written, empty for the global namespace.</summary>
    public static string Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

    /// <summary>An identifier as it must be written in C#: keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
