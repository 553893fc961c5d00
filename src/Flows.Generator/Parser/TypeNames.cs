using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Parser;

/// <summary>Turns symbols into the strings the model holds.</summary>
internal static class TypeNames
{
    private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat s_idParameter = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>A <c>global::</c> qualified type name, with nullable annotations.</summary>
    public static string Global(ITypeSymbol type) => type.ToDisplayString(s_fullyQualified);

    /// <summary>A method's <c>global::</c> qualified name, without its parameters.</summary>
    public static string GlobalMethod(IMethodSymbol method) =>
        Global(method.ContainingType) + "." + Identifier(method.Name);

    /// <summary><c>Namespace.Outer.Type.Method</c>, without <c>global::</c>; the stable id of tasks and flows.</summary>
    public static string Id(IMethodSymbol method) => TypeId(method.ContainingType) + "." + method.Name;

    /// <summary>
    /// The stable id of a task: <see cref="Id"/>, followed by the parameter types when its type declares
    /// more than one <c>[Task]</c> of that name (<c>Flows.Shell.Run(string, System.Threading.CancellationToken)</c>),
    /// so that overloads get their own descriptors, invokers and codecs. A task that is not overloaded
    /// keeps the plain id, which checkpoints and cache entries made before were kept under.
    /// </summary>
    public static string TaskId(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        var id = Id(method);
        var overloaded = method.ContainingType.GetMembers(method.Name)
            .OfType<IMethodSymbol>()
            .Count(KnownSymbols.IsTask) > 1;
        if (!overloaded)
        {
            return id;
        }

        var builder = new StringBuilder(id).Append('(');
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ").Append(method.Parameters[i].Type.ToDisplayString(s_idParameter));
        }

        return builder.Append(')').ToString();
    }

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
