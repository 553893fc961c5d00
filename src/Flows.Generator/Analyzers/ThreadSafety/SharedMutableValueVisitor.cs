using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// FLOW201: a value reaches two tasks that can run at the same time and one of them writes into
/// it. Reported once per value and writing task, at the writing task's call in the flow; the
/// other tasks' calls, the write itself and the evidence that the flow runs on threads are
/// additional locations.
/// </summary>
internal sealed class SharedMutableValueVisitor : FlowVisitor
{
    /// <summary>Property naming the written task parameter when a copy at the task's start fixes the race.</summary>
    public const string CopyParameterProperty = "CopyParameter";

    /// <inheritdoc />
    public override void VisitThreadedFlow(ThreadedFlow flow, FlowCompilationIndex index, Action<Diagnostic> report)
    {
        // One report per (value, writer), naming every task it overlaps with, in body order.
        var groups = new Dictionary<(string Value, int Writer), (SharedValue Shared, NodeUse Writer, List<NodeUse> Others)>();
        var order = new List<(string, int)>();
        foreach (var shared in flow.SharedValues)
        {
            if (ThreadSafetyKnowledge.IsThreadSafeType(shared.Type) || ThreadUnsafeValueVisitor.Describe(shared) is not null)
            {
                continue; // safe by type, or FLOW202 says more
            }

            foreach (var (writer, other) in new[] { (shared.First, shared.Second), (shared.Second, shared.First) })
            {
                if (writer.Write is null || (other.Write is not null && other.Node < writer.Node) || !(other.Used || other.Write is not null))
                {
                    continue; // no write; two writers, reported once at the first; or the other task never touches it
                }

                var key = (shared.Name, writer.Node);
                if (!groups.TryGetValue(key, out var group))
                {
                    group = (shared, writer, new List<NodeUse>());
                    groups.Add(key, group);
                    order.Add(key);
                }

                group.Others.Add(other);
            }
        }

        foreach (var key in order)
        {
            var (shared, writer, others) = groups[key];
            report(Create(flow, shared, writer, others.OrderBy(o => o.Node).ToList()));
        }
    }

    private static Diagnostic Create(ThreadedFlow flow, SharedValue shared, NodeUse writer, IReadOnlyList<NodeUse> others)
    {
        var write = writer.Write!.Value;
        var method = flow.Site.Sites[writer.Node].Target!;
        var what = $"'{write.Write.What}' in {method.Name}" + (write.Via is null ? string.Empty : $", through {write.Via}");

        // Locations: 0 the first other task's call, 1 the write, 2 the written parameter when the
        // copy fix applies (the fix reads it there), then the other calls and the evidence.
        var locations = new List<Location> { others[0].Call.GetLocation(), write.Write.Location };
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (write.Write.Direct && write.Via is null && writer.Parameter is { Locations: [var parameterLocation, ..] } parameter &&
            parameterLocation.IsInSource && flow.Site.Model.Nodes[writer.Node].Kind == NodeKind.Task)
        {
            locations.Add(parameterLocation);
            properties = properties.Add(CopyParameterProperty, parameter.Name);
        }

        locations.AddRange(others.Skip(1).Select(o => o.Call.GetLocation()));
        locations.AddRange(flow.Evidence);
        return Diagnostic.Create(
            DiagnosticDescriptors.SharedMutableValue,
            writer.Call.GetLocation(),
            locations,
            properties,
            shared.Name,
            writer.Name,
            Names(others),
            flow.Why,
            what);
    }

    /// <summary><c>'A'</c>, <c>'A' and 'B'</c>, <c>'A', 'B' and 'C'</c>.</summary>
    internal static string Names(IReadOnlyList<NodeUse> nodes)
    {
        var quoted = nodes.Select(n => "'" + n.Name + "'").Distinct().ToList();
        return quoted.Count == 1 ? quoted[0] : string.Join(", ", quoted.Take(quoted.Count - 1)) + " and " + quoted[quoted.Count - 1];
    }
}
