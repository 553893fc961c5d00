using System;
using System.Linq;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Parser;

/// <summary>
/// A flow's signature for the assembly's flow catalog: every parameter with its type as <c>typeof</c> takes it
/// and as the signature writes it, and whether the runtime binds it (what the parser did not make a graph input).
/// </summary>
internal static class CatalogSignatures
{
    // typeof refuses nullable reference annotations and names tuples by their ValueTuple type.
    private static readonly SymbolDisplayFormat s_typeOf = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.ExpandValueTuple);

    private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The signature of <paramref name="flow"/>, or null when code at assembly level cannot name the flow's class
    /// or one of its types (a <c>private</c> flow, a flow in a private type, a private parameter type): such a
    /// flow is left out of the catalog.
    /// </summary>
    public static CatalogSignatureModel? Of(IMethodSymbol flow, ITypeSymbol? resultType, Func<IParameterSymbol, bool> isGraphInput)
    {
        if (!TypeShapeBuilder.IsAccessible(flow) ||
            flow.Parameters.Any(p => !Nameable(p.Type)) ||
            (resultType is not null && !Nameable(resultType)))
        {
            return null;
        }

        var parameters = flow.Parameters
            .Select(p => new CatalogParameterModel(p.Name, p.Type.ToDisplayString(s_typeOf), p.Type.ToDisplayString(s_display), !isGraphInput(p), AllowsNull(p)))
            .ToEquatableArray();
        return new CatalogSignatureModel(parameters, resultType?.ToDisplayString(s_typeOf), resultType?.ToDisplayString(s_display));
    }

    private static bool Nameable(ITypeSymbol type) =>
        TypeShapeBuilder.IsAccessible(type) && type.TypeKind is not (TypeKind.Dynamic or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Error);

    private static bool AllowsNull(IParameterSymbol parameter) => parameter.Type switch
    {
        { IsValueType: true } type => type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
        { TypeKind: TypeKind.TypeParameter } => true,
        _ => parameter.NullableAnnotation != NullableAnnotation.NotAnnotated,
    };
}
