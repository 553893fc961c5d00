using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Model;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Finds the values of a flow (its parameters and its steps' results) that reach two nodes which
/// can run at the same time, with what each node does to the value.
/// </summary>
/// <remarks>
/// A <c>Flow.Map</c> node hands each element to one element run, so the elements are not shared
/// among the runs; a write into an element is a write into what the mapped collection refers to.
/// A subflow node does what the subflow's own nodes do with its parameter.
/// </remarks>
internal static class SharedValueFinder
{
    private const int MaxSubflowDepth = 3;

    /// <summary>Every pair of overlapping nodes that receive one value, in body order.</summary>
    public static IReadOnlyList<SharedValue> Find(FlowSite flow, FlowCompilationIndex index)
    {
        var model = flow.Model;
        var concurrency = new FlowConcurrency(model);
        var firstNodeSlot = model.Parameters.Count + model.Constants.Count;
        var found = new List<SharedValue>();
        var valueParameters = flow.Method.Parameters.Where(p => !KnownSymbols.IsBound(p.Type)).ToList();

        for (var slot = 0; slot < firstNodeSlot + model.Nodes.Count; slot++)
        {
            if (slot >= model.Parameters.Count && slot < firstNodeSlot)
            {
                continue; // constants: strings and numbers, never shared mutable objects
            }

            if (slot >= firstNodeSlot && flow.Sites[slot - firstNodeSlot].Target is null)
            {
                continue; // a merge or a tuple item: the value's own producer is what is checked
            }

            var consumers = new List<NodeUse>();
            for (var node = 0; node < model.Nodes.Count; node++)
            {
                if (flow.Sites[node].Target is null)
                {
                    continue; // runs no code: it reads nothing of the value
                }

                var input = IndexOf(model.Nodes[node].InputSlots, slot);
                if (input >= 0)
                {
                    consumers.Add(Use(flow, node, input, index, 0));
                }
            }

            if (consumers.Count < 2)
            {
                continue;
            }

            var (name, type) = slot < model.Parameters.Count
                ? (valueParameters[slot].Name, valueParameters[slot].Type)
                : (ResultName(flow.Sites[slot - firstNodeSlot]), KnownSymbols.ResultType(flow.Sites[slot - firstNodeSlot].Target!));
            for (var i = 0; i < consumers.Count; i++)
            {
                for (var j = i + 1; j < consumers.Count; j++)
                {
                    if (concurrency.CanOverlap(consumers[i].Node, consumers[j].Node))
                    {
                        found.Add(new SharedValue(name, type, consumers[i], consumers[j]));
                    }
                }
            }
        }

        return found;
    }

    private static NodeUse Use(FlowSite flow, int node, int input, FlowCompilationIndex index, int depth)
    {
        var model = flow.Model.Nodes[node];
        var site = flow.Sites[node];
        var target = site.Target!;
        var call = site.Call!;
        var taskName = model.Name;
        var valueParameters = target.Parameters.Where(p => !KnownSymbols.IsBound(p.Type)).ToList();
        switch (model.Kind)
        {
            case NodeKind.Task when input < valueParameters.Count:
                var parameter = valueParameters[input];
                return new NodeUse(node, taskName, call, parameter, index.Access.FindWrite(target, parameter.Ordinal), index.Access.Uses(target, parameter.Ordinal));
            case NodeKind.Map when input == 0 && valueParameters.Count > 0:
                // The element runs read the collection's elements, one each, and what an element run
                // writes is inside the collection's objects.
                var element = valueParameters[0];
                return new NodeUse(node, taskName, call, null, index.Access.FindWrite(target, element.Ordinal), Used: true);
            case NodeKind.Map when input < valueParameters.Count:
                // A whole argument: every element run gets the value itself, as a task call does.
                var whole = valueParameters[input];
                return new NodeUse(node, taskName, call, whole, index.Access.FindWrite(target, whole.Ordinal), index.Access.Uses(target, whole.Ordinal));
            case NodeKind.Subflow when depth < MaxSubflowDepth && index.Flows.TryGetValue(target, out var subflow):
                ResolvedWrite? write = null;
                var used = false;
                for (var inner = 0; inner < subflow.Model.Nodes.Count; inner++)
                {
                    var innerInput = IndexOf(subflow.Model.Nodes[inner].InputSlots, input);
                    if (innerInput >= 0)
                    {
                        var use = Use(subflow, inner, innerInput, index, depth + 1);
                        write ??= use.Write;
                        used |= use.Used;
                    }
                }

                return new NodeUse(node, taskName, call, input < valueParameters.Count ? valueParameters[input] : null, write, used);
            default:
                return new NodeUse(node, taskName, call, null, null, Used: false);
        }
    }

    /// <summary>The local a step's result is bound to, or a description of the step.</summary>
    public static string ResultName(NodeSite site)
    {
        for (SyntaxNode? current = site.Call!.Parent; current is ExpressionSyntax or EqualsValueClauseSyntax or ArgumentSyntax or ArgumentListSyntax or VariableDeclaratorSyntax; current = current.Parent)
        {
            if (current is VariableDeclaratorSyntax declarator)
            {
                return declarator.Identifier.ValueText;
            }
        }

        return "the result of " + site.Target!.Name;
    }

    private static int IndexOf(EquatableArray<int> slots, int slot)
    {
        for (var i = 0; i < slots.Count; i++)
        {
            if (slots[i] == slot)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One value received by two nodes that can run at the same time.</summary>
/// <param name="Name">The flow parameter's or local's name.</param>
/// <param name="Type">The value's static type in the flow, when known.</param>
/// <param name="First">The node called first in the body.</param>
/// <param name="Second">The other node.</param>
internal sealed record SharedValue(string Name, ITypeSymbol? Type, NodeUse First, NodeUse Second);

/// <summary>What one node does with a value it receives.</summary>
/// <param name="Node">The node's index.</param>
/// <param name="Name">The node's name in the graph (<c>Parse</c>, <c>Parse#2</c>).</param>
/// <param name="Call">Its call in the flow body.</param>
/// <param name="Parameter">The task (or subflow) parameter the value lands in; null for a mapped collection.</param>
/// <param name="Write">The first write into the value, if any.</param>
/// <param name="Used">Whether the node reads or passes on the value (a mapped collection is read by its element runs).</param>
internal sealed record NodeUse(int Node, string Name, InvocationExpressionSyntax Call, IParameterSymbol? Parameter, ResolvedWrite? Write, bool Used);
