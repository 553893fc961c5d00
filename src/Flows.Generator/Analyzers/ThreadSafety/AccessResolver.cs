using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Follows calls across the method summaries of one compilation (to <see cref="MaxDepth"/>
/// calls deep) to answer: does this method write into what its parameter refers to, and which
/// static state does it write? Methods without a summary (other assemblies) are assumed not to
/// write: when unsure, stay quiet.
/// </summary>
internal sealed class AccessResolver
{
    /// <summary>How many calls deep writes are followed.</summary>
    public const int MaxDepth = 4;

    private readonly IReadOnlyDictionary<IMethodSymbol, MethodSummary> _summaries;
    private readonly Dictionary<(IMethodSymbol, int), ResolvedWrite?> _writes = new();

    public AccessResolver(IReadOnlyDictionary<IMethodSymbol, MethodSummary> summaries) => _summaries = summaries;

    /// <summary>The first write into what parameter <paramref name="ordinal"/> of <paramref name="method"/> refers to, or null.</summary>
    public ResolvedWrite? FindWrite(IMethodSymbol method, int ordinal) => FindWrite(method.OriginalDefinition, ordinal, 0);

    /// <summary>Whether the method reads or passes on its parameter; false for methods outside the compilation.</summary>
    public bool Uses(IMethodSymbol method, int ordinal) =>
        _summaries.TryGetValue(method.OriginalDefinition, out var summary) && summary.Uses.Contains(ordinal);

    /// <summary>The unsynchronized static writes of <paramref name="method"/> and the methods it calls, first found per member.</summary>
    public IReadOnlyList<ResolvedStaticWrite> FindStaticWrites(IMethodSymbol method)
    {
        var found = new List<ResolvedStaticWrite>();
        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Queue<(IMethodSymbol Method, int Depth, string? Via)>();
        pending.Enqueue((method.OriginalDefinition, 0, null));
        while (pending.Count > 0)
        {
            var (current, depth, via) = pending.Dequeue();
            if (!seen.Add(current) || !_summaries.TryGetValue(current, out var summary))
            {
                continue;
            }

            foreach (var write in summary.StaticWrites)
            {
                if (members.Add(write.Member))
                {
                    found.Add(new ResolvedStaticWrite(write, via));
                }
            }

            // An object held in static state, handed to a method that writes it.
            foreach (var pass in summary.Passes)
            {
                if (pass.Root.Kind == ValueRootKind.Static && !members.Contains(pass.Root.Member!) &&
                    FindWrite(pass.Callee, pass.CalleeOrdinal, depth + 1) is { } write)
                {
                    members.Add(pass.Root.Member!);
                    found.Add(new ResolvedStaticWrite(new StaticWrite(pass.Root.Member!, write.Write.What, write.Write.Location), write.Via ?? pass.Callee.Name));
                }
            }

            if (depth < MaxDepth)
            {
                foreach (var callee in summary.Callees)
                {
                    pending.Enqueue((callee, depth + 1, via ?? callee.Name));
                }
            }
        }

        return found;
    }

    private ResolvedWrite? FindWrite(IMethodSymbol method, int ordinal, int depth)
    {
        if (depth > MaxDepth || !_summaries.TryGetValue(method, out var summary))
        {
            return null;
        }

        var key = (method, ordinal);
        if (_writes.TryGetValue(key, out var known))
        {
            return known;
        }

        // Provisional answer while the callees are followed: recursion finds nothing new.
        _writes[key] = null;
        ResolvedWrite? result = null;
        foreach (var write in summary.Writes)
        {
            if (write.Ordinal == ordinal)
            {
                result = new ResolvedWrite(write, null);
                break;
            }
        }

        if (result is null)
        {
            foreach (var pass in summary.Passes)
            {
                if (pass.Root is { Kind: ValueRootKind.Parameter } root && root.Ordinal == ordinal &&
                    FindWrite(pass.Callee, pass.CalleeOrdinal, depth + 1) is { } inner)
                {
                    result = new ResolvedWrite(inner.Write with { Direct = false }, inner.Via ?? pass.Callee.Name);
                    break;
                }
            }
        }

        _writes[key] = result;
        return result;
    }
}

/// <summary>A write found for a parameter, possibly in a method the task calls.</summary>
/// <param name="Write">The write.</param>
/// <param name="Via">The first method called on the way to it, or null when it is in the method itself.</param>
internal readonly record struct ResolvedWrite(ValueWrite Write, string? Via);

/// <summary>A static write found for a task, possibly in a method it calls.</summary>
/// <param name="Write">The write.</param>
/// <param name="Via">The first method called on the way to it, or null when it is in the task itself.</param>
internal readonly record struct ResolvedStaticWrite(StaticWrite Write, string? Via);
