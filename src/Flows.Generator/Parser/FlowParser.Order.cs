using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

/// <remarks>
/// Statement order: a step written as a statement on its own (its result not kept) is a side
/// effect. It waits for every step written before it, and every step written after it waits for
/// it, as the eager body runs them; steps whose results are kept are ordered by the data they
/// read. <c>Flow.After(x)</c> makes the steps after it wait for the step that made <c>x</c>.
/// </remarks>
internal sealed partial class FlowParser
{
    /// <summary>
    /// Adds a node on the current path: in its branch, waiting for the barrier (unless one of its
    /// inputs already does), inside every try block being parsed. Returns its index.
    /// </summary>
    private int Register(NodeModel node, List<SlotRef> inputs, NodeSite site)
    {
        var index = _nodes.Count;
        var after = node.After.ToList();
        var covered = inputs.Any(i => i.Kind == SlotKind.Node && _path.Covered.Contains(i.Index));
        if (!covered)
        {
            AddEdges(after, _path.Barrier, EdgeKind.Completed);
        }

        node = node with { Branch = node.Branch >= 0 ? node.Branch : _path.Branch, After = after.ToEquatableArray() };
        _nodes.Add(new PendingNode(node, inputs));
        _nodeSites.Add(site);
        _path.Covered.Add(index);
        _path.SinceBarrier.Add(index);
        var scoped = false;
        foreach (var open in _tries)
        {
            open.Members.Add(index);
            if (open.HasCatch && !scoped)
            {
                open.Scoped.Add(index);
                scoped = true;
            }
        }

        return index;
    }

    /// <summary>Adds a node that runs no code (a join, a merge, an item, a try's end).</summary>
    private int RegisterControl(NodeModel node, List<SlotRef>? inputs = null) =>
        Register(node, inputs ?? new List<SlotRef>(), default);

    private static void AddEdges(List<OrderEdgeModel> edges, IEnumerable<int> nodes, EdgeKind kind)
    {
        foreach (var node in nodes)
        {
            if (!edges.Any(e => e.Node == node))
            {
                edges.Add(new OrderEdgeModel(node, kind));
            }
        }
    }

    /// <summary>Adds edges to an existing node.</summary>
    private void AddEdgesTo(int index, IEnumerable<int> nodes, EdgeKind kind)
    {
        var pending = _nodes[index];
        var after = pending.Node.After.ToList();
        AddEdges(after, nodes.Where(n => n != index), kind);
        _nodes[index] = pending with { Node = pending.Node with { After = after.ToEquatableArray() } };
    }

    /// <summary>Parses a step written as a statement of its own: a side effect, kept in statement order.</summary>
    private void ParseEffect(ExpressionSyntax expression)
    {
        var step = ParseStep(expression);
        if (step is not { Slot.Kind: SlotKind.Node } effect)
        {
            return;
        }

        var index = effect.Slot.Index;
        AddEdgesTo(index, _path.Barrier.Concat(_path.SinceBarrier), EdgeKind.Completed);
        _path.Barrier = new List<int> { index };
        _path.SinceBarrier = new List<int>();
        _path.Covered = new HashSet<int> { index };
    }

    /// <summary><c>Flow.After(a, b)</c>: the steps written after it wait for the steps that made a and b.</summary>
    private void ParseAfter(InvocationExpressionSyntax invocation)
    {
        var nodes = new List<int>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            var value = StripParentheses(argument.Expression);
            var symbol = value is IdentifierNameSyntax ? _semanticModel.GetSymbolInfo(value, _cancellationToken).Symbol : null;
            if (symbol is ILocalSymbol local && _path.Locals.TryGetValue(local, out var slot) && slot.Kind == SlotKind.Node)
            {
                nodes.Add(slot.Index);
            }
            else if (symbol is ILocalSymbol || symbol is IParameterSymbol || _semanticModel.GetConstantValue(value, _cancellationToken).HasValue)
            {
                Report(DiagnosticDescriptors.AfterNeedsStep, value, value.ToString(), $"'{value}' is not the result of a step (a parameter or a constant is there from the start), so there is nothing to wait for");
            }
            else
            {
                Report(DiagnosticDescriptors.AfterNeedsStep, value, value.ToString(), "pass locals that hold the results of earlier steps, as in 'Flow.After(written);'");
            }
        }

        if (invocation.ArgumentList.Arguments.Count == 0)
        {
            Report(DiagnosticDescriptors.AfterNeedsStep, invocation, string.Empty, "name at least one earlier step's result");
        }

        // Later steps wait for these as well as for the barrier they already wait for; none of
        // the nodes made so far is known to wait for them.
        _path.Barrier = _path.Barrier.Concat(nodes).Distinct().ToList();
        _path.Covered = new HashSet<int>();
    }

    /// <summary>Adds a branch under <paramref name="parent"/>; returns its index.</summary>
    private int AddBranch(int parent, SlotRef condition, BranchTest test, List<string>? values = null, int clause = -1)
    {
        _branches.Add(new PendingBranch(parent, condition, test, values ?? new List<string>(), clause));
        return _branches.Count - 1;
    }
}
