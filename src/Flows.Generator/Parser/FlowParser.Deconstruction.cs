using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    /// <summary>
    /// <c>var (low, high) = Bounds(xs);</c>: each named element becomes an edge of its own, an Item
    /// node that reads one element of the tuple the step returned.
    /// </summary>
    private void ParseDeconstruction(AssignmentExpressionSyntax assignment)
    {
        var targets = DeconstructionTargets(assignment.Left);
        if (targets is null)
        {
            Report(DiagnosticDescriptors.DeconstructionNotSupported, assignment.Left, assignment.Left.ToString(), "deconstruct into locals or discards, one level deep ('var (low, high) = Bounds(xs);')");
            return;
        }

        var tupleType = _semanticModel.GetTypeInfo(assignment.Right, _cancellationToken).Type;
        if (tupleType is not INamedTypeSymbol { IsTupleType: true } tuple || tuple.TupleElements.Length != targets.Count)
        {
            Report(DiagnosticDescriptors.DeconstructionNotSupported, assignment.Right, assignment.Right.ToString(), "only a tuple a step returns can be deconstructed in a flow body; a type's Deconstruct method runs code, so call it inside a task");
            return;
        }

        if (ParseValue(assignment.Right, tupleType) is not { } source)
        {
            return;
        }

        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i] is not { } local)
            {
                continue;
            }

            if (!CheckConversion(assignment.Right, tuple.TupleElements[i].Type, local.Type))
            {
                continue;
            }

            var item = RegisterControl(
                new NodeModel(NodeKind.Item, UniqueNodeName("<" + local.Name + ">"), -1, null, null, null, null, false, default) { ItemIndex = i },
                new List<SlotRef> { source });
            _path.Declared.Add(local);
            _path.Locals[local] = new SlotRef(SlotKind.Node, item);
            _path.Unreadable.Remove(local);
        }
    }

    /// <summary>The locals a deconstruction writes, null for a discard; null when the form is not supported.</summary>
    private List<ILocalSymbol?>? DeconstructionTargets(ExpressionSyntax left)
    {
        IEnumerable<SyntaxNode> elements = left switch
        {
            DeclarationExpressionSyntax { Designation: ParenthesizedVariableDesignationSyntax designation } => designation.Variables,
            TupleExpressionSyntax tuple => tuple.Arguments.Select(a => (SyntaxNode)a.Expression),
            _ => Enumerable.Empty<SyntaxNode>(),
        };

        var targets = new List<ILocalSymbol?>();
        foreach (var element in elements)
        {
            switch (element)
            {
                case DiscardDesignationSyntax:
                    targets.Add(null);
                    break;
                case SingleVariableDesignationSyntax single when _semanticModel.GetDeclaredSymbol(single, _cancellationToken) is ILocalSymbol declared:
                    targets.Add(declared);
                    break;
                case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single } when _semanticModel.GetDeclaredSymbol(single, _cancellationToken) is ILocalSymbol declared:
                    targets.Add(declared);
                    break;
                case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                    targets.Add(null);
                    break;
                case IdentifierNameSyntax name when _semanticModel.GetSymbolInfo(name, _cancellationToken).Symbol is ILocalSymbol existing:
                    targets.Add(existing);
                    break;
                case IdentifierNameSyntax name when _semanticModel.GetSymbolInfo(name, _cancellationToken).Symbol is IDiscardSymbol:
                    targets.Add(null);
                    break;
                default:
                    return null;
            }
        }

        return targets.Count > 0 ? targets : null;
    }
}
