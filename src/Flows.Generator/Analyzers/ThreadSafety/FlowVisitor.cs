using System;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// One rule's view of a compilation: <see cref="FlowEntryPointAnalyzer"/> finds the flows, the
/// tasks and the thread runs once, and hands each visitor what its rule looks at.
/// </summary>
internal abstract class FlowVisitor
{
    /// <summary>Visits a flow that runs on threads, with why the analyzer believes so.</summary>
    public virtual void VisitThreadedFlow(ThreadedFlow flow, FlowCompilationIndex index, Action<Diagnostic> report)
    {
    }

    /// <summary>Visits a <c>[Task]</c> method declared in source.</summary>
    public virtual void VisitTask(IMethodSymbol task, FlowCompilationIndex index, Action<Diagnostic> report)
    {
    }
}
