using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Model;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// What <see cref="FlowEntryPointAnalyzer"/> found in one compilation, filled concurrently by
/// its actions and read by the rule visitors once the compilation is analyzed.
/// </summary>
internal sealed class FlowCompilationIndex
{
    private readonly ConcurrentDictionary<IMethodSymbol, FlowSite> _flows = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentQueue<IMethodSymbol> _tasks = new();
    private readonly ConcurrentQueue<ThreadRun> _threadRuns = new();
    private AccessResolver? _access;

    /// <summary>Every flow in source that compiles into a graph, by its method.</summary>
    public IReadOnlyDictionary<IMethodSymbol, FlowSite> Flows => _flows;

    /// <summary>Every <c>[Task]</c> method in source, sorted by name for a stable report order.</summary>
    public IEnumerable<IMethodSymbol> Tasks => _tasks.OrderBy(t => t.ContainingType.Name).ThenBy(t => t.Name);

    /// <summary>The <c>RunAsync</c> calls whose executor's static type is of kind <c>Threads</c>.</summary>
    public IEnumerable<ThreadRun> ThreadRuns => _threadRuns;

    /// <summary>Calls followed across the summaries of this compilation's methods; built on first use.</summary>
    public AccessResolver Access => _access ??= new AccessResolver(_summaries);

    public void AddFlow(FlowSite flow) => _flows[flow.Method] = flow;

    public void AddTask(IMethodSymbol task) => _tasks.Enqueue(task);

    public void AddThreadRun(ThreadRun run) => _threadRuns.Enqueue(run);

    public void AddSummary(IMethodSymbol method, MethodSummary summary) => _summaries[method.OriginalDefinition] = summary;
}

/// <summary>A flow in source that compiles into a graph.</summary>
/// <param name="Method">The flow method.</param>
/// <param name="Model">Its graph model.</param>
/// <param name="Sites">Where each node is called, index for index with <see cref="FlowModel.Nodes"/>.</param>
/// <param name="RunsOn">The kinds of <c>[Flow(RunsOn = ...)]</c>; <see cref="ExecutorKinds.Unspecified"/> when not set.</param>
internal sealed record FlowSite(IMethodSymbol Method, FlowModel Model, ImmutableArray<NodeSite> Sites, ExecutorKinds RunsOn);

/// <summary>A <c>XFlow.RunAsync(executor, ...)</c> call whose executor's static type is of kind <c>Threads</c>.</summary>
/// <param name="Flow">The flow it runs.</param>
/// <param name="Executor">The name of the executor's static type, for messages: <c>ThreadExecutor</c>.</param>
/// <param name="Location">The call.</param>
internal readonly record struct ThreadRun(IMethodSymbol Flow, string Executor, Location Location);
