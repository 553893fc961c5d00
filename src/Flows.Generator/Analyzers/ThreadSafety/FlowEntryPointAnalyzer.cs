using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Base of the analyzers that judge flows as a whole: finds the flows, the tasks, the method
/// bodies and the <c>RunAsync</c> calls on a threads executor once per compilation, decides
/// which flows run on threads, and hands them to one <see cref="FlowVisitor"/> per rule.
/// </summary>
/// <remarks>
/// A flow runs on threads when its <c>[Flow(RunsOn = ...)]</c> includes <c>Threads</c>, when a
/// <c>RunAsync</c> call passes an executor whose static type is declared
/// <c>[ExecutorKind(...)]</c> with <c>Threads</c> (as <c>ThreadExecutor</c> is; the attribute may be
/// on a base class), or when it is a subflow of such a flow. Generated code is not analyzed.
/// </remarks>
internal abstract class FlowEntryPointAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (!KnownSymbols.ReferencesFlows(start.Compilation))
            {
                return; // Flows is not referenced: nothing to judge
            }

            var index = new FlowCompilationIndex();
            start.RegisterSyntaxNodeAction(c => FindFlow(c, index), SyntaxKind.MethodDeclaration);
            start.RegisterOperationBlockAction(c =>
            {
                if (c.OwningSymbol is IMethodSymbol method)
                {
                    index.AddSummary(method, MethodSummaryBuilder.Build(method, c.OperationBlocks, c.CancellationToken));
                    if (method.MethodKind == MethodKind.Ordinary && KnownSymbols.FindAttribute(method, task: true) is not null)
                    {
                        index.AddTask(method);
                    }
                }
            });
            start.RegisterOperationAction(c => FindThreadRun(c, index), OperationKind.Invocation);
            start.RegisterCompilationEndAction(c => VisitAll(c, index));
        });
    }

    /// <summary>The rules' visitors, one per rule.</summary>
    private protected abstract ImmutableArray<FlowVisitor> CreateVisitors();

    private static void FindFlow(SyntaxNodeAnalysisContext context, FlowCompilationIndex index)
    {
        var declaration = (MethodDeclarationSyntax)context.Node;
        if (!HasFlowLikeAttribute(declaration) ||
            context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } method)
        {
            return;
        }

        if (KnownSymbols.FindAttribute(method, task: false) is { } flow)
        {
            var result = FlowParser.Parse(declaration, method, context.SemanticModel, context.CancellationToken);
            if (result.Model is { } model)
            {
                index.AddFlow(new FlowSite(method.OriginalDefinition, model, result.NodeSites, KnownSymbols.RunsOn(flow)));
            }
        }
    }

    /// <summary>
    /// A cheap syntactic test before any symbol is bound: an attribute spelled <c>Flow</c> or
    /// <c>FlowAttribute</c>, possibly qualified. (An alias of <c>FlowAttribute</c> under another
    /// name is not seen: such a flow gets no thread-safety warnings.)
    /// </summary>
    private static bool HasFlowLikeAttribute(MethodDeclarationSyntax declaration)
    {
        foreach (var list in declaration.AttributeLists)
        {
            foreach (var attribute in list.Attributes)
            {
                var name = attribute.Name switch
                {
                    QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    _ => string.Empty,
                };
                if (name is "Flow" or "FlowAttribute")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>XFlow.RunAsync(executor, ...)</c> of a generated flow class, with an executor of kind <c>Threads</c>.</summary>
    private static void FindThreadRun(OperationAnalysisContext context, FlowCompilationIndex index)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: "RunAsync", IsStatic: true, ContainingType: { ContainingType: { } owner } flowClass } ||
            !flowClass.Name.EndsWith("Flow", System.StringComparison.Ordinal) ||
            invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is not { } executor)
        {
            return;
        }

        var value = executor.Value;
        while (value is IConversionOperation { Operand: var operand })
        {
            value = operand;
        }

        if (value.Type is not INamedTypeSymbol executorType || (KnownSymbols.ExecutorKindOf(executorType).Kinds & ExecutorKinds.Threads) == 0)
        {
            return;
        }

        var flowName = flowClass.Name.Substring(0, flowClass.Name.Length - "Flow".Length);
        var flow = owner.GetMembers(flowName).OfType<IMethodSymbol>().FirstOrDefault(KnownSymbols.IsFlow);
        if (flow is not null)
        {
            index.AddThreadRun(new ThreadRun(flow.OriginalDefinition, executorType.Name, invocation.Syntax.GetLocation()));
        }
    }

    private void VisitAll(CompilationAnalysisContext context, FlowCompilationIndex index)
    {
        var visitors = CreateVisitors();
        foreach (var flow in ThreadedFlows(index))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            foreach (var visitor in visitors)
            {
                visitor.VisitThreadedFlow(flow, index, context.ReportDiagnostic);
            }
        }

        foreach (var task in index.Tasks)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            foreach (var visitor in visitors)
            {
                visitor.VisitTask(task, index, context.ReportDiagnostic);
            }
        }
    }

    /// <summary>The flows that run on threads, each with its evidence, in a stable order.</summary>
    private static IEnumerable<ThreadedFlow> ThreadedFlows(FlowCompilationIndex index)
    {
        var evidence = new Dictionary<IMethodSymbol, (string Why, ImmutableArray<Location> Where)>(SymbolEqualityComparer.Default);
        foreach (var runs in index.ThreadRuns.GroupBy(r => r.Flow, SymbolEqualityComparer.Default))
        {
            var ordered = runs.OrderBy(r => r.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(r => r.Location.SourceSpan.Start).ToList();
            var first = $"it is run with a {ordered[0].Executor} at {Format(ordered[0].Location)}";
            var why = ordered.Count == 1 ? first : first + $" and {ordered.Count - 1} more place(s)";
            evidence[(IMethodSymbol)runs.Key!] = (why, ordered.Select(r => r.Location).ToImmutableArray());
        }

        foreach (var flow in index.Flows.Values)
        {
            if ((flow.RunsOn & ExecutorKinds.Threads) != 0)
            {
                evidence[flow.Method] = ("the flow declares RunsOn = Threads", ImmutableArray<Location>.Empty);
            }
        }

        // A subflow runs on its parent's executor.
        var pending = new Queue<IMethodSymbol>(evidence.Keys);
        while (pending.Count > 0)
        {
            var parent = pending.Dequeue();
            if (!index.Flows.TryGetValue(parent, out var site))
            {
                continue;
            }

            foreach (var node in site.Sites)
            {
                if (node is { Target: not null, Call: not null } && index.Flows.ContainsKey(node.Target) && !evidence.ContainsKey(node.Target))
                {
                    evidence[node.Target] = ($"it runs as a subflow of '{parent.Name}', which runs on threads", ImmutableArray.Create(node.Call.GetLocation()));
                    pending.Enqueue(node.Target);
                }
            }
        }

        foreach (var entry in evidence.OrderBy(e => e.Key.ContainingType.Name, System.StringComparer.Ordinal).ThenBy(e => e.Key.Name, System.StringComparer.Ordinal))
        {
            if (index.Flows.TryGetValue(entry.Key, out var site))
            {
                yield return new ThreadedFlow(site, entry.Value.Why, entry.Value.Where, SharedValueFinder.Find(site, index));
            }
        }
    }

    /// <summary><c>Program.cs(12)</c>: a place in a message.</summary>
    internal static string Format(Location location)
    {
        var span = location.GetLineSpan();
        return $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1})";
    }
}
