using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Generator;

/// <summary>
/// Reports tasks whose inputs or result cannot be serialized where a flow may run out of process:
/// at each task call of a flow that declares <c>RunsOn</c> with <c>Processes</c> or <c>Cluster</c>
/// (FLOW101), and at each <c>XFlow.RunAsync</c> call that passes an executor whose static type is
/// declared <c>[ExecutorKind(...)]</c> with one of those kinds, as <c>ProcessExecutor</c> and
/// <c>ClusterExecutor</c> are (FLOW102). A flow only ever run on threads gets nothing.
/// </summary>
/// <remarks>It judges types with <see cref="TypeShapeBuilder"/>, the analysis the generator emits serializers from.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class SerializationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The single kinds that leave the process, in the order a message names them.</summary>
    private static readonly ExecutorKinds[] s_outOfProcessKinds = { ExecutorKinds.Processes, ExecutorKinds.Cluster };

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.TaskNotSerializableInFlow,
        DiagnosticDescriptors.TaskNotSerializableForExecutor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var problems = new ConcurrentDictionary<IMethodSymbol, string?>(SymbolEqualityComparer.Default);
            string? ProblemOf(IMethodSymbol task) =>
                problems.GetOrAdd(task.OriginalDefinition, static t => TaskSerialization.Analyze(t).Problem);

            var flows = new ConcurrentDictionary<IMethodSymbol, FlowCalls>(SymbolEqualityComparer.Default);
            var runs = new ConcurrentQueue<Run>();
            start.RegisterSyntaxNodeAction(c => AnalyzeFlow(c, ProblemOf, flows), SyntaxKind.MethodDeclaration);
            start.RegisterOperationAction(c => CollectRun(c, runs), OperationKind.Invocation);
            start.RegisterCompilationEndAction(c => ReportRuns(c, ProblemOf, flows, runs));
        });
    }

    private static void AnalyzeFlow(
        SyntaxNodeAnalysisContext context,
        System.Func<IMethodSymbol, string?> problemOf,
        ConcurrentDictionary<IMethodSymbol, FlowCalls> flows)
    {
        var declaration = (MethodDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0 ||
            context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } flow ||
            KnownSymbols.FindAttribute(flow, task: false) is not { } attribute)
        {
            return;
        }

        var calls = TaskCalls(declaration, context.SemanticModel, context.CancellationToken).ToList();
        var subflows = declaration.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(i => context.SemanticModel.GetSymbolInfo(i, context.CancellationToken).Symbol as IMethodSymbol)
            .Where(m => m is not null && KnownSymbols.IsFlow(m))
            .Select(m => m!.OriginalDefinition)
            .ToList();
        flows[flow.OriginalDefinition] = new FlowCalls(calls.Select(c => c.Task).ToList(), subflows);

        var runsOn = KnownSymbols.RunsOn(attribute);
        if ((runsOn & ExecutorKinds.OutOfProcess) == 0)
        {
            return;
        }

        var declared = string.Join(" | ", s_outOfProcessKinds.Where(k => (runsOn & k) != 0).Select(k => nameof(ExecutorKinds) + "." + k.ToString()));
        foreach (var (task, location) in calls)
        {
            if (problemOf(task) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.TaskNotSerializableInFlow, location, TaskInspector.DisplayName(task), flow.Name, declared, problem));
            }
        }
    }

    private static void CollectRun(OperationAnalysisContext context, ConcurrentQueue<Run> runs)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "RunAsync" || !method.IsStatic || invocation.Arguments.Length == 0 ||
            method.ContainingType is not { ContainingType: { } owner } flowClass ||
            !flowClass.Name.EndsWith("Flow", System.StringComparison.Ordinal))
        {
            return;
        }

        var flowName = flowClass.Name.Substring(0, flowClass.Name.Length - "Flow".Length);
        var flow = owner.GetMembers(flowName).OfType<IMethodSymbol>().FirstOrDefault(KnownSymbols.IsFlow);
        var executorArgument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;
        while (executorArgument is IConversionOperation conversion)
        {
            executorArgument = conversion.Operand;
        }

        if (flow is not null && executorArgument?.Type is INamedTypeSymbol executorType && OutOfProcessExecutor(executorType) is { } executor)
        {
            runs.Enqueue(new Run(flow.OriginalDefinition, executor, invocation.Syntax.GetLocation()));
        }
    }

    /// <summary>Once every flow is indexed: each out-of-process run, against every task its flow and subflows call.</summary>
    private static void ReportRuns(
        CompilationAnalysisContext context,
        System.Func<IMethodSymbol, string?> problemOf,
        ConcurrentDictionary<IMethodSymbol, FlowCalls> flows,
        ConcurrentQueue<Run> runs)
    {
        foreach (var run in runs.OrderBy(r => r.Location.SourceSpan.Start))
        {
            var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            foreach (var task in TasksOf(run.Flow, flows, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default)))
            {
                if (seen.Add(task) && problemOf(task) is { } problem)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.TaskNotSerializableForExecutor, run.Location, run.Flow.Name, run.Executor, TaskInspector.DisplayName(task), problem));
                }
            }
        }
    }

    private static IEnumerable<IMethodSymbol> TasksOf(IMethodSymbol flow, ConcurrentDictionary<IMethodSymbol, FlowCalls> flows, HashSet<IMethodSymbol> visiting)
    {
        if (!visiting.Add(flow) || !flows.TryGetValue(flow, out var calls))
        {
            yield break;
        }

        foreach (var task in calls.Tasks)
        {
            yield return task;
        }

        foreach (var subflow in calls.Subflows)
        {
            foreach (var task in TasksOf(subflow, flows, visiting))
            {
                yield return task;
            }
        }
    }

    /// <summary>
    /// The name of <paramref name="type"/> when it (or its nearest base class that says) is declared
    /// <c>[ExecutorKind(...)]</c> with <c>Processes</c> or <c>Cluster</c>, as <c>ProcessExecutor</c>
    /// and <c>ClusterExecutor</c> are; null for any other executor.
    /// </summary>
    private static string? OutOfProcessExecutor(INamedTypeSymbol type) =>
        (KnownSymbols.ExecutorKindOf(type).Kinds & ExecutorKinds.OutOfProcess) != 0 ? type.Name : null;

    /// <summary>Each task call in a flow body (and each task that <c>Flow.Map</c> maps), with where to report it.</summary>
    private static IEnumerable<(IMethodSymbol Task, Location Location)> TaskCalls(
        MethodDeclarationSyntax declaration, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var invocation in declaration.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
            {
                continue;
            }

            if (KnownSymbols.IsTask(method))
            {
                yield return (method.ReducedFrom ?? method, invocation.GetLocation());
            }
            else if (KnownSymbols.IsFlowMap(method) && invocation.ArgumentList.Arguments.Count > 0)
            {
                var mapped = invocation.ArgumentList.Arguments[0].Expression;
                var info = model.GetSymbolInfo(mapped, cancellationToken);
                var candidate = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (candidate is IMethodSymbol task && KnownSymbols.IsTask(task))
                {
                    yield return (task, mapped.GetLocation());
                }
            }
        }
    }

    /// <summary>The tasks and subflows one flow body calls.</summary>
    private sealed record FlowCalls(List<IMethodSymbol> Tasks, List<IMethodSymbol> Subflows);

    /// <summary>A <c>RunAsync</c> call with an out-of-process executor.</summary>
    private sealed record Run(IMethodSymbol Flow, string Executor, Location Location);
}
