using System.Collections.Immutable;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Generator.Analyzers;

/// <summary>
/// FLOW056: a constant cron expression given to Flows.Hosting's <c>AddFlowSchedule(name, cron, ...)</c> that
/// Cronos would refuse when the host is built. Checked by <see cref="CronSyntax"/>, Cronos's grammar; an
/// expression that is not a constant is left to the run-time check.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ScheduleCronAnalyzer : DiagnosticAnalyzer
{
    private const string MethodName = "AddFlowSchedule";
    private const string ContainingType = "FlowsServiceCollectionExtensions";
    private const string ContainingNamespace = "Flows.Hosting";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.CronExpressionInvalid);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(AnalyzeInvocation, SyntaxKind.InvocationExpression);
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
        if (name != MethodName ||
            context.SemanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol method ||
            !IsAddFlowSchedule(method))
        {
            return;
        }

        var parameters = (method.ReducedFrom ?? method).Parameters;
        var offset = method.ReducedFrom is null ? 0 : 1;
        for (var i = 0; i < invocation.ArgumentList.Arguments.Count; i++)
        {
            var argument = invocation.ArgumentList.Arguments[i];
            var parameter = argument.NameColon is { } named
                ? FindParameter(parameters, named.Name.Identifier.ValueText)
                : i + offset < parameters.Length ? parameters[i + offset] : null;
            if (parameter is not { Name: "cron", Type.SpecialType: SpecialType.System_String })
            {
                continue;
            }

            var constant = context.SemanticModel.GetConstantValue(argument.Expression, context.CancellationToken);
            if (constant is { HasValue: true, Value: string cron } && CronSyntax.Check(cron) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CronExpressionInvalid, argument.Expression.GetLocation(), ScheduleName(context, invocation, parameters, offset), cron, problem));
            }
        }
    }

    private static bool IsAddFlowSchedule(IMethodSymbol method)
    {
        var type = method.ContainingType;
        return type is { Name: ContainingType } && type.ContainingNamespace?.ToDisplayString() == ContainingNamespace;
    }

    private static IParameterSymbol? FindParameter(ImmutableArray<IParameterSymbol> parameters, string name)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.Name == name)
            {
                return parameter;
            }
        }

        return null;
    }

    /// <summary>The schedule's name as written (<c>'nightly'</c>), or its expression when it is not a constant.</summary>
    private static string ScheduleName(SyntaxNodeAnalysisContext context, InvocationExpressionSyntax invocation, ImmutableArray<IParameterSymbol> parameters, int offset)
    {
        for (var i = 0; i < invocation.ArgumentList.Arguments.Count; i++)
        {
            var argument = invocation.ArgumentList.Arguments[i];
            var parameter = argument.NameColon is { } named
                ? FindParameter(parameters, named.Name.Identifier.ValueText)
                : i + offset < parameters.Length ? parameters[i + offset] : null;
            if (parameter?.Name == "name")
            {
                var constant = context.SemanticModel.GetConstantValue(argument.Expression, context.CancellationToken);
                return constant is { HasValue: true, Value: string text } ? "'" + text + "'" : argument.Expression.ToString();
            }
        }

        return "(unnamed)";
    }
}
