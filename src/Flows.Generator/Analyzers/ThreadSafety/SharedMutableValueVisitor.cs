using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// FLOW201: a value reaches two tasks that can run at the same time and one of them writes into
/// it. Reported at the writing task's call in the flow; the other call, the write itself and the
/// evidence that the flow runs on threads are additional locations.
/// </summary>
internal sealed class SharedMutableValueVisitor : FlowVisitor
{
    /// <summary>Property naming the written task parameter when a copy at the task's start fixes the race.</summary>
    public const string CopyParameterProperty = "CopyParameter";

    /// <inheritdoc />
    public override void VisitThreadedFlow(ThreadedFlow flow, FlowCompilationIndex index, Action<Diagnostic> report)
    {
        foreach (var shared in flow.SharedValues)
        {
            if (ThreadSafetyKnowledge.IsThreadSafeType(shared.Type) || ThreadUnsafeValueVisitor.Describe(shared) is not null)
            {
                continue; // safe by type, or FLOW202 says more
            }

            var (writer, other) = shared.First.Write is not null ? (shared.First, shared.Second)
                : shared.Second.Write is not null ? (shared.Second, shared.First)
                : (null, null);
            if (writer is null || other is null)
            {
                continue;
            }

            var write = writer.Write!.Value;
            var method = flow.Site.Sites[writer.Node].Target;
            var what = $"'{write.Write.What}' in {method.Name}" + (write.Via is null ? string.Empty : $", through {write.Via}");
            var locations = new List<Location> { other.Call.GetLocation(), write.Write.Location };
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (write.Write.Direct && write.Via is null && writer.Parameter is { Locations: [var parameterLocation, ..] } parameter &&
                parameterLocation.IsInSource && flow.Site.Model.Nodes[writer.Node].Kind == NodeKind.Task)
            {
                // The fix copies the task's parameter before the write; it finds the parameter at location 2.
                locations.Add(parameterLocation);
                properties = properties.Add(CopyParameterProperty, parameter.Name);
            }

            locations.AddRange(flow.Evidence);
            report(Diagnostic.Create(
                DiagnosticDescriptors.SharedMutableValue,
                writer.Call.GetLocation(),
                locations,
                properties,
                shared.Name,
                writer.Name,
                other.Name,
                flow.Why,
                what));
        }
    }
}
