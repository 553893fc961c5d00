using System;
using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// FLOW202: an object that is unsafe even to read from two threads (listed in
/// <see cref="ThreadSafetyKnowledge"/>) is used by two tasks that can run at the same time.
/// Reported at the later task's call; the earlier call and the evidence are additional locations.
/// </summary>
internal sealed class ThreadUnsafeValueVisitor : FlowVisitor
{
    /// <summary>Why the shared value's type is not thread-safe, or null when it is not on the list.</summary>
    public static string? Describe(SharedValue shared) =>
        ThreadSafetyKnowledge.ThreadUnsafeDescription(shared.Type) ??
        ThreadSafetyKnowledge.ThreadUnsafeDescription(shared.First.Parameter?.Type) ??
        ThreadSafetyKnowledge.ThreadUnsafeDescription(shared.Second.Parameter?.Type);

    /// <inheritdoc />
    public override void VisitThreadedFlow(ThreadedFlow flow, FlowCompilationIndex index, Action<Diagnostic> report)
    {
        // One report per (value, later task), naming every earlier task it overlaps with.
        var groups = new Dictionary<(string Value, int Node), (SharedValue Shared, string Description, List<NodeUse> Earlier)>();
        var order = new List<(string, int)>();
        foreach (var shared in flow.SharedValues)
        {
            if (!shared.First.Used || !shared.Second.Used || shared.First.Parameter is null || shared.Second.Parameter is null ||
                Describe(shared) is not { } description)
            {
                continue;
            }

            var key = (shared.Name, shared.Second.Node);
            if (!groups.TryGetValue(key, out var group))
            {
                group = (shared, description, new List<NodeUse>());
                groups.Add(key, group);
                order.Add(key);
            }

            group.Earlier.Add(shared.First);
        }

        foreach (var key in order)
        {
            var (shared, description, earlier) = groups[key];
            var locations = new List<Location>();
            locations.AddRange(earlier.Select(e => e.Call.GetLocation()));
            locations.AddRange(flow.Evidence);
            report(Diagnostic.Create(
                DiagnosticDescriptors.ThreadUnsafeValue,
                shared.Second.Call.GetLocation(),
                locations,
                shared.Name,
                description,
                SharedMutableValueVisitor.Names(earlier),
                shared.Second.Name,
                flow.Why));
        }
    }
}
