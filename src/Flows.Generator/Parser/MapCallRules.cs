using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

/// <summary>
/// What a <c>Flow.Map</c>/<c>Flow.TryMap</c> call needs of its task, its collection and its whole
/// arguments, and why a call the compiler could not bind does not fit (where the compiler itself
/// says only that type arguments cannot be inferred, CS0411).
/// </summary>
internal static class MapCallRules
{
    /// <summary>The most whole arguments a map passes: the overloads of Flow.Map and Flow.TryMap stop there.</summary>
    public const int MaxWholeArguments = 3;

    private static readonly SymbolDisplayFormat s_display = SymbolDisplayFormat.MinimallyQualifiedFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// What <paramref name="task"/> returns when a map could not collect it (<c>nothing</c>,
    /// <c>a Task without a result</c>, ...), or null when it returns a value or a <c>Task&lt;T&gt;</c>.
    /// </summary>
    public static string? NoResultToCollect(IMethodSymbol task)
    {
        if (task.ReturnsVoid)
        {
            return "nothing";
        }

        if (!KnownSymbols.IsTaskLike(task.ReturnType, out var result, out var isValueTask))
        {
            return null;
        }

        if (result is null)
        {
            return isValueTask ? "a ValueTask without a result" : "a Task without a result";
        }

        return isValueTask ? $"{Display(task.ReturnType)}, which a map does not await (only Task<T>)" : null;
    }

    /// <summary>
    /// Why the unbound map call <paramref name="invocation"/> (of <paramref name="mapName"/>,
    /// <c>Flow.Map</c> or <c>Flow.TryMap</c>) does not fit its task, or null when no rule explains it
    /// (the compiler's own error then stands alone).
    /// </summary>
    public static Diagnostic? Explain(InvocationExpressionSyntax invocation, string mapName, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count < 2 || arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            return null;
        }

        var taskSyntax = arguments[0].Expression;
        if (MappedMethod(taskSyntax, model, cancellationToken) is not { } task)
        {
            return null;
        }

        var collection = arguments[1].Expression;
        if (model.GetTypeInfo(collection, cancellationToken).Type is not { TypeKind: not TypeKind.Error } collectionType)
        {
            return null;
        }

        var valueParameters = task.Parameters.Where(p => !KnownSymbols.IsCancellationToken(p.Type)).ToList();
        var takesToken = valueParameters.Count < task.Parameters.Length;
        if (NoResultToCollect(task) is { } returns)
        {
            return Diagnostic.Create(DiagnosticDescriptors.MappedTaskHasNoResult, taskSyntax.GetLocation(), mapName, task.Name, returns);
        }

        if (ElementTypeOf(collectionType) is not { } element)
        {
            return Diagnostic.Create(DiagnosticDescriptors.MappedCollectionNotASequence, collection.GetLocation(), mapName, collection.ToString(), Display(collectionType), task.Name);
        }

        if (valueParameters.Count == 0 || !KeepsObject(model.Compilation, element, valueParameters[0].Type))
        {
            var takes = valueParameters.Count == 0
                ? "has no parameter for it"
                : $"takes {Display(valueParameters[0].Type)} as its first parameter '{valueParameters[0].Name}'";
            return Diagnostic.Create(DiagnosticDescriptors.MappedTaskTakesOtherElements, taskSyntax.GetLocation(), mapName, collection.ToString(), Display(element), task.Name, takes);
        }

        var wholeParameters = valueParameters.Skip(1).ToList();
        if (wholeParameters.Count > MaxWholeArguments)
        {
            return Diagnostic.Create(DiagnosticDescriptors.TooManyWholeArguments, taskSyntax.GetLocation(), mapName, task.Name, wholeParameters.Count);
        }

        // The arguments after the collection: the whole ones, then the task's token if it takes one.
        var wholeArguments = arguments.Skip(2).Select(a => a.Expression).ToList();
        if (takesToken && wholeArguments.Count > 0 && KnownSymbols.IsCancellationToken(model.GetTypeInfo(wholeArguments[wholeArguments.Count - 1], cancellationToken).Type))
        {
            wholeArguments.RemoveAt(wholeArguments.Count - 1);
        }

        if (wholeArguments.Count != wholeParameters.Count)
        {
            var takes = wholeParameters.Count == 0
                ? "no other parameter"
                : $"{Count(wholeParameters.Count, "parameter")} ({string.Join(", ", wholeParameters.Select(p => Display(p.Type) + " " + p.Name))})";
            var passed = wholeArguments.Count == 0
                ? "no whole argument is passed"
                : wholeArguments.Count == 1 ? "1 whole argument is passed" : $"{wholeArguments.Count} whole arguments are passed";
            var example = $"{mapName}({taskSyntax}, {collection}{string.Concat(wholeParameters.Select(p => ", " + p.Name))}{(takesToken ? ", ct" : string.Empty)})";
            return Diagnostic.Create(DiagnosticDescriptors.WholeArgumentCountMismatch, invocation.GetLocation(), mapName, task.Name, takes, passed, example);
        }

        for (var i = 0; i < wholeArguments.Count; i++)
        {
            var type = model.GetTypeInfo(wholeArguments[i], cancellationToken).Type;
            if (type is { TypeKind: not TypeKind.Error } && !KeepsObject(model.Compilation, type, wholeParameters[i].Type))
            {
                return Diagnostic.Create(
                    DiagnosticDescriptors.WholeArgumentTypeMismatch,
                    wholeArguments[i].GetLocation(),
                    mapName,
                    wholeArguments[i].ToString(),
                    Display(type),
                    wholeParameters[i].Name,
                    task.Name,
                    Display(wholeParameters[i].Type));
            }
        }

        return null;
    }

    /// <summary>The method a map's first argument names (the first [Task] among overloads), or null for anything else.</summary>
    private static IMethodSymbol? MappedMethod(ExpressionSyntax syntax, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        var info = model.GetSymbolInfo(syntax, cancellationToken);
        IEnumerable<ISymbol> symbols = info.Symbol is { } bound ? new[] { bound } : info.CandidateSymbols;
        var methods = symbols.OfType<IMethodSymbol>().ToList();
        return methods.FirstOrDefault(KnownSymbols.IsTask) ?? (methods.Count == 1 ? methods[0] : null);
    }

    /// <summary>The element type of a sequence: an array's, or the T of the one IEnumerable&lt;T&gt; it is or implements.</summary>
    private static ITypeSymbol? ElementTypeOf(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return array.ElementType;
        }

        if (IsEnumerableOfT(type))
        {
            return ((INamedTypeSymbol)type).TypeArguments[0];
        }

        var sequences = type.AllInterfaces.Where(IsEnumerableOfT).ToList();
        return sequences.Count == 1 ? sequences[0].TypeArguments[0] : null;
    }

    private static bool IsEnumerableOfT(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IEnumerable_T };

    /// <summary>
    /// Whether a <paramref name="source"/> can be passed where the task takes <paramref name="target"/>:
    /// a method group converts to the map's delegate only through identity or reference conversions.
    /// </summary>
    private static bool KeepsObject(Compilation compilation, ITypeSymbol source, ITypeSymbol target)
    {
        var conversion = ((CSharpCompilation)compilation).ClassifyConversion(source, target);
        return conversion.IsIdentity || (conversion.IsImplicit && conversion.IsReference);
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Display(ITypeSymbol type) => type.ToDisplayString(s_display);
}
