using System;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// FLOW203: a task (or a method it calls, a few calls deep) writes static state of this
/// compilation without a lock or <c>Interlocked</c>/<c>Volatile</c>. Reported at the task's
/// declaration, once per static member, with the write as an additional location: it is wrong on
/// every executor but <c>LocalExecutor</c>, so it applies to every task.
/// </summary>
internal sealed class StaticStateVisitor : FlowVisitor
{
    /// <inheritdoc />
    public override void VisitTask(IMethodSymbol task, FlowCompilationIndex index, Action<Diagnostic> report)
    {
        foreach (var found in index.Access.FindStaticWrites(task))
        {
            var member = found.Write.Member;
            var what = $"'{found.Write.What}'" + (found.Via is null ? string.Empty : $" in {found.Via}");
            report(Diagnostic.Create(
                DiagnosticDescriptors.StaticMutableState,
                task.Locations[0],
                new[] { found.Write.Location },
                task.Name,
                member.ContainingType.Name + "." + member.Name,
                what));
        }
    }
}
