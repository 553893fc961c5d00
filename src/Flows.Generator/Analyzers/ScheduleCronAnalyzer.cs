using System.Collections.Immutable;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

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
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: MethodName, ContainingType: { Name: ContainingType } type } ||
            type.ContainingNamespace?.ToDisplayString() != ContainingNamespace)
        {
            return;
        }

        // The binder has matched arguments to parameters already (named, reordered, the extension's receiver).
        IArgumentOperation? cron = null, name = null;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "cron":
                    cron = argument;
                    break;
                case "name":
                    name = argument;
                    break;
            }
        }

        if (cron is { Parameter.Type.SpecialType: SpecialType.System_String, Value.ConstantValue: { HasValue: true, Value: string expression } } &&
            CronSyntax.Check(expression) is { } problem)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CronExpressionInvalid, cron.Value.Syntax.GetLocation(), ScheduleName(name), expression, problem));
        }
    }

    /// <summary>The schedule's name as written (<c>'nightly'</c>), or its expression when it is not a constant.</summary>
    private static string ScheduleName(IArgumentOperation? name) => name?.Value switch
    {
        null => "(unnamed)",
        { ConstantValue: { HasValue: true, Value: string text } } => "'" + text + "'",
        var value => value.Syntax.ToString(),
    };
}
