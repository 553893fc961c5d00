using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Analyzers.ThreadSafety;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Analyzers;

/// <summary>
/// Finds where the graph may reorder what the body orders and the generator cannot tell whether
/// that matters: a step whose result is kept, written after another such step, that reads nothing
/// the earlier one made but takes the same name of an outside resource (a path, a URL, a file, a
/// stream). If the later step relies on what the earlier one did, the graph may run it too early;
/// FLOW025 says so and its fix writes <c>Flow.After</c>. Side effects (steps written as statements)
/// are ordered anyway, and steps in arms that exclude each other never both run.
/// </summary>
internal static class StatementOrderCheck
{
    /// <summary>The diagnostic property that names the local holding the earlier step's result, for the fix.</summary>
    public const string AfterProperty = "After";

    private static readonly string[] s_resourceWords = { "path", "file", "dir", "folder", "url", "uri", "table", "bucket", "blob", "queue", "topic", "key" };

    public static IEnumerable<Diagnostic> Find(FlowModel model, ImmutableArray<NodeSite> sites)
    {
        var concurrency = new FlowConcurrency(model);
        var firstNodeSlot = model.Parameters.Count + model.Constants.Count;
        for (var later = 0; later < model.Nodes.Count; later++)
        {
            if (!IsKeptStep(model, sites, later))
            {
                continue;
            }

            for (var earlier = 0; earlier < later; earlier++)
            {
                if (!IsKeptStep(model, sites, earlier) || concurrency.Ordered(earlier, later) || concurrency.Exclusive(earlier, later))
                {
                    continue;
                }

                if (SharedResource(model, sites, earlier, later, firstNodeSlot) is not { } shared)
                {
                    continue;
                }

                var earlierSite = sites[earlier];
                var local = BoundLocal(earlierSite.Call!);
                var properties = local is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(AfterProperty, local);
                yield return Diagnostic.Create(
                    DiagnosticDescriptors.OrderNotKnown,
                    sites[later].Call!.GetLocation(),
                    properties,
                    model.Nodes[later].Name,
                    model.Nodes[earlier].Name,
                    shared,
                    local is null ? "Flow.After(...) with the earlier step's result in a local" : $"'Flow.After({local});'");
                break;
            }
        }
    }

    /// <summary>A task or subflow call whose result the body keeps (not a side effect, which statement order already places).</summary>
    private static bool IsKeptStep(FlowModel model, ImmutableArray<NodeSite> sites, int node)
    {
        if (model.Nodes[node].Kind is not (NodeKind.Task or NodeKind.Subflow) || sites[node].Call is not { } call)
        {
            return false;
        }

        var outer = Outermost(call);
        return outer.Parent is not ExpressionStatementSyntax &&
               !(outer.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } && outer.Parent.Parent is ExpressionStatementSyntax);
    }

    /// <summary>The name of a non-constant input both nodes take that names an outside resource, or null.</summary>
    private static string? SharedResource(FlowModel model, ImmutableArray<NodeSite> sites, int earlier, int later, int firstNodeSlot)
    {
        var earlierInputs = model.Nodes[earlier].InputSlots;
        var laterInputs = model.Nodes[later].InputSlots;
        if (SymbolEqualityComparer.Default.Equals(sites[earlier].Target, sites[later].Target))
        {
            return null; // the same task twice on the same input: it cannot rely on its own other run
        }

        var parameters = ValueParameters(sites[later].Target!);
        var earlierParameters = ValueParameters(sites[earlier].Target!);
        for (var position = 0; position < laterInputs.Count && position < parameters.Count; position++)
        {
            var slot = laterInputs[position];
            var isConstant = slot >= model.Parameters.Count && slot < firstNodeSlot;
            var earlierPosition = earlierInputs.ToList().IndexOf(slot);
            if (isConstant || earlierPosition < 0 || earlierPosition >= earlierParameters.Count ||
                !NamesAResource(parameters[position]) || !NamesAResource(earlierParameters[earlierPosition]))
            {
                continue;
            }

            return slot < model.Parameters.Count ? model.Parameters[slot].Name : parameters[position].Name;
        }

        return null;
    }

    private static List<IParameterSymbol> ValueParameters(IMethodSymbol method) =>
        method.Parameters.Where(p => !KnownSymbols.IsBound(p.Type)).ToList();

    /// <summary>
    /// A parameter that names something outside the process: a <c>Uri</c>, a <c>FileSystemInfo</c>,
    /// a <c>Stream</c>, or a string whose parameter name says so (<c>path</c>, <c>file</c>,
    /// <c>url</c>...). A string of another name (text, a label) is data, which a step reads only.
    /// </summary>
    private static bool NamesAResource(IParameterSymbol parameter)
    {
        var type = parameter.Type;
        if (type.SpecialType == SpecialType.System_String)
        {
            var name = parameter.Name.ToLowerInvariant();
            return s_resourceWords.Any(name.Contains);
        }

        for (var t = type as INamedTypeSymbol; t is not null; t = t.BaseType)
        {
            var name = t.ToDisplayString();
            if (name is "System.Uri" or "System.IO.FileSystemInfo" or "System.IO.Stream")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The call with what wraps it as one step: <c>await</c>, parentheses, <c>ConfigureAwait</c>.</summary>
    private static ExpressionSyntax Outermost(ExpressionSyntax call)
    {
        var current = call;
        while (true)
        {
            switch (current.Parent)
            {
                case AwaitExpressionSyntax or ParenthesizedExpressionSyntax:
                    current = (ExpressionSyntax)current.Parent;
                    continue;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configured }:
                    current = configured;
                    continue;
                default:
                    return current;
            }
        }
    }

    /// <summary>The local a step's result is bound to (<c>var x = step;</c>, <c>x = step;</c>), or null.</summary>
    private static string? BoundLocal(InvocationExpressionSyntax call) => Outermost(call).Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => declarator.Identifier.ValueText,
        AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) => name.Identifier.ValueText,
        _ => null,
    };
}
