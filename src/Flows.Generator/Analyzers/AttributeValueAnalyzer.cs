using System.Collections.Immutable;
using Flows.Generator.Diagnostics;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Generator.Analyzers;

/// <summary>
/// Reports the <c>[Task]</c> and <c>[Flow]</c> attribute values that cannot work (FLOW030 to FLOW039)
/// at the value itself: a negative count or duration, a backoff below 1, a jitter outside [0, 1),
/// a <c>RetryOn</c> entry that is not an exception type, an empty name, a <c>CacheFor</c> that is not a
/// positive duration or is on a task that cannot be cached, a <c>CacheKey</c> without <c>CacheFor</c>. Without these errors such a
/// value would only fail when the generated descriptor is first used, at run time.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class AttributeValueAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.AttributeValues;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.Method);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        foreach (var attribute in method.GetAttributes())
        {
            var task = KnownSymbols.IsTaskAttribute(attribute.AttributeClass);
            if (!task && !KnownSymbols.IsFlowAttribute(attribute.AttributeClass))
            {
                continue;
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
            foreach (var problem in AttributeValues.Problems(attribute, method, task))
            {
                var at = Locate(syntax, problem.Property, problem.Entry) ?? method.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(problem.Rule, at, problem.Arguments));
            }
        }
    }

    /// <summary>The value of named argument <paramref name="property"/>, or its entry <paramref name="entry"/> when it is an array written out.</summary>
    private static Location? Locate(AttributeSyntax? attribute, string property, int entry)
    {
        if (attribute?.ArgumentList is null)
        {
            return null;
        }

        foreach (var argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText != property)
            {
                continue;
            }

            var value = argument.Expression;
            if (entry >= 0 && Entries(value) is { } entries && entry < entries.Count)
            {
                return entries[entry].GetLocation();
            }

            return value.GetLocation();
        }

        return attribute.GetLocation();
    }

    /// <summary>The elements of an array written in place: <c>new[] { ... }</c>, <c>new T[] { ... }</c> or <c>[ ... ]</c>.</summary>
    private static System.Collections.Generic.IReadOnlyList<SyntaxNode>? Entries(ExpressionSyntax value) => value switch
    {
        ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        CollectionExpressionSyntax collection => collection.Elements,
        _ => null,
    };
}
