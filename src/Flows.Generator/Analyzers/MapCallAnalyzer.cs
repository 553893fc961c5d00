using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Generator.Analyzers;

/// <summary>
/// Explains a <c>Flow.Map</c> or <c>Flow.TryMap</c> call the compiler could not bind, where the
/// compiler says only that type arguments cannot be inferred (CS0411) or that no overload of the
/// task matches a delegate (CS0123): the task does not take the
/// elements (FLOW040), the whole arguments do not match its other parameters (FLOW041, FLOW042),
/// it returns nothing to collect (FLOW043), it needs more whole arguments than a map passes (FLOW044),
/// or the collection is not a sequence (FLOW045). In a <c>[Flow]</c> body, a lambda is refused as
/// the parser refuses it (FLOW016). A call that binds without errors is the parser's business.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class MapCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.Maps.Add(DiagnosticDescriptors.MapNotSupported);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.ReferencesFlows(start.Compilation))
            {
                start.RegisterSyntaxNodeAction(AnalyzeInvocation, SyntaxKind.InvocationExpression);
            }
        });
    }

    private static void AnalyzeInvocation(SyntaxNodeAnalysisContext context)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        if (name is not ("Map" or "TryMap"))
        {
            return;
        }

        // Unbound (CS0411), or bound to an overload whose task does not convert to its delegate (CS0123).
        var info = context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken);
        var candidates = info.Symbol is { } bound ? ImmutableArray.Create(bound) : info.CandidateSymbols;
        if (!candidates.OfType<IMethodSymbol>().Any(KnownSymbols.IsFlowMap) ||
            (info.Symbol is not null && !HasErrors(invocation, context)))
        {
            return;
        }

        var mapName = "Flow." + name;
        if (invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is AnonymousFunctionExpressionSyntax lambda)
        {
            // Eager code may map a lambda; only a flow body must name a task (and when the call binds,
            // the parser says so itself).
            if (info.Symbol is null && InFlowBody(invocation, context))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.MapNotSupported,
                    lambda.GetLocation(),
                    $"its first argument must name a [Task] method, as in {mapName}(Parse, items); a lambda or a delegate cannot be compiled"));
            }

            return;
        }

        if (MapCallRules.Explain(invocation, mapName, context.SemanticModel, context.CancellationToken) is { } diagnostic)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    private static bool HasErrors(InvocationExpressionSyntax invocation, SyntaxNodeAnalysisContext context) =>
        context.SemanticModel.GetDiagnostics(invocation.Span, context.CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);

    private static bool InFlowBody(SyntaxNode node, SyntaxNodeAnalysisContext context) =>
        node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } declaration &&
        context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is { } method &&
        KnownSymbols.IsFlow(method);
}
