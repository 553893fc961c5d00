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

namespace Flows.Generator;

/// <summary>
/// Reports why a <c>[Flow]</c> body cannot be compiled into a graph (FLOW001 to FLOW016), why a
/// <c>[Task]</c> method cannot run in one (FLOW013), and, once every flow is parsed, which
/// subflow calls reach a refused or recursive flow (FLOW017).
/// </summary>
/// <remarks>It runs the very parser the generator uses, so a flow gets a graph exactly when this reports nothing.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class FlowBodyAnalyzer : DiagnosticAnalyzer
{
    // The parser also refuses a map whose task has no result to collect (FLOW043, one of the map rules).
    private static readonly ImmutableArray<DiagnosticDescriptor> s_supported = DiagnosticDescriptors.All.AddRange(DiagnosticDescriptors.Maps);

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => s_supported;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var flows = new FlowIndex();
            start.RegisterSyntaxNodeAction(flows.AnalyzeMethod, SyntaxKind.MethodDeclaration);
            start.RegisterSymbolAction(AnalyzeTask, SymbolKind.Method);
            start.RegisterCompilationEndAction(flows.ReportSubflowCalls);
        });
    }

    private static void AnalyzeTask(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (KnownSymbols.FindAttribute(method, task: true) is not null &&
            TaskInspector.FindProblem(method) is { } problem)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TaskNotSupported, method.Locations[0], method.Name, problem));
        }
    }

    /// <summary>What the analysis of one compilation learned about its flows.</summary>
    private sealed class FlowIndex
    {
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _accepted = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<SubflowCall>> _calls = new(SymbolEqualityComparer.Default);

        public void AnalyzeMethod(SyntaxNodeAnalysisContext context)
        {
            var declaration = (MethodDeclarationSyntax)context.Node;
            if (declaration.AttributeLists.Count == 0 ||
                context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } method ||
                KnownSymbols.FindAttribute(method, task: false) is null)
            {
                return;
            }

            var result = FlowParser.Parse(declaration, method, context.SemanticModel, context.CancellationToken);
            foreach (var diagnostic in result.Diagnostics)
            {
                context.ReportDiagnostic(diagnostic);
            }

            if (result.Model is { } model)
            {
                foreach (var diagnostic in Analyzers.StatementOrderCheck.Find(model, result.NodeSites))
                {
                    context.ReportDiagnostic(diagnostic);
                }
            }

            _accepted[method] = result.Model is not null;
            _calls[method] = result.SubflowCalls;
        }

        /// <summary>
        /// A subflow call is refused when the called flow gets no graph: its own body is refused,
        /// one of its subflows is, or the calls lead back to the caller.
        /// </summary>
        public void ReportSubflowCalls(CompilationAnalysisContext context)
        {
            var verdicts = new Dictionary<IMethodSymbol, string?>(SymbolEqualityComparer.Default);
            var visiting = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

            // Why a flow gets no graph, or null when it gets one.
            string? Problem(IMethodSymbol flow)
            {
                if (verdicts.TryGetValue(flow, out var known))
                {
                    return known;
                }

                if (!visiting.Add(flow))
                {
                    return "its calls lead back to itself, and a graph cannot contain itself";
                }

                string? problem;
                if (!_accepted.TryGetValue(flow, out var accepted) || !accepted)
                {
                    problem = "its own body cannot be compiled into a graph; fix its diagnostics first";
                }
                else
                {
                    problem = _calls.TryGetValue(flow, out var calls)
                        ? calls.Select(c => Problem(c.Callee) is null ? null : $"it calls flow '{c.Callee.Name}', which gets no graph")
                            .FirstOrDefault(p => p is not null)
                        : null;
                }

                visiting.Remove(flow);
                verdicts[flow] = problem;
                return problem;
            }

            foreach (var entry in _calls.OrderBy(e => e.Key.Name))
            {
                foreach (var call in entry.Value)
                {
                    var recursive = SymbolEqualityComparer.Default.Equals(call.Callee, entry.Key) || Reaches(call.Callee, entry.Key);
                    var problem = recursive ? "its calls lead back to the calling flow, and a graph cannot contain itself" : Problem(call.Callee);
                    if (problem is not null)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SubflowNotSupported, call.Location, call.Callee.Name, problem));
                    }
                }
            }
        }

        private bool Reaches(IMethodSymbol from, IMethodSymbol to)
        {
            var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<IMethodSymbol>();
            pending.Push(from);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (!seen.Add(current) || !_calls.TryGetValue(current, out var calls))
                {
                    continue;
                }

                foreach (var call in calls)
                {
                    if (SymbolEqualityComparer.Default.Equals(call.Callee, to))
                    {
                        return true;
                    }

                    pending.Push(call.Callee);
                }
            }

            return false;
        }
    }
}
