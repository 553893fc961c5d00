using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    private const string ConditionHint =
        "a branch tests a bool that a flow parameter, a local bound to a step's result, or a step itself gives, or its negation ('if (ok)', 'if (!await IsReady(x))'); compute anything else in a task that returns bool";

    /// <summary><c>if</c>/<c>else</c>: each arm a branch on the condition; what follows joins them.</summary>
    private void ParseIf(IfStatementSyntax statement)
    {
        if (ParseCondition(statement.Condition) is not { } condition)
        {
            return;
        }

        var entry = _path;
        var firstNode = _nodes.Count;
        var thenBranch = AddBranch(entry.Branch, condition.Slot, BranchTest.Equals, new List<string> { condition.WhenTrue });
        var elseBranch = AddBranch(entry.Branch, condition.Slot, BranchTest.Equals, new List<string> { condition.WhenFalse });

        _path = entry.Enter(thenBranch);
        ParseStatement(statement.Statement);
        var thenPath = _path;

        _path = entry.Enter(elseBranch);
        if (statement.Else is { } otherwise)
        {
            ParseStatement(otherwise.Statement);
        }

        var elsePath = _path;
        JoinArms(
            entry,
            firstNode,
            new List<Arm> { new(thenPath, thenBranch, thenPath.Branch), new(elsePath, elseBranch, elsePath.Branch) },
            statement);
    }

    /// <summary>The slot a condition reads and the values that make it true or false; null when it is refused.</summary>
    private Condition? ParseCondition(ExpressionSyntax expression)
    {
        var value = StripParentheses(expression);
        var negated = false;
        while (value is PrefixUnaryExpressionSyntax prefix && prefix.IsKind(SyntaxKind.LogicalNotExpression))
        {
            negated = !negated;
            value = StripParentheses(prefix.Operand);
        }

        var type = _semanticModel.GetTypeInfo(value, _cancellationToken).Type;
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            _unbound = true;
            return null;
        }

        if (type.SpecialType != SpecialType.System_Boolean)
        {
            Report(DiagnosticDescriptors.ConditionNotSupported, expression, expression.ToString(), $"it is a {type.ToDisplayString()}, not a bool; {ConditionHint}");
            return null;
        }

        if (_semanticModel.GetConstantValue(value, _cancellationToken).HasValue)
        {
            Report(DiagnosticDescriptors.ConditionNotSupported, expression, expression.ToString(), "it is a constant, so one arm never runs; remove the branch");
            return null;
        }

        if (value is not (InvocationExpressionSyntax or AwaitExpressionSyntax or IdentifierNameSyntax))
        {
            Report(DiagnosticDescriptors.ConditionNotSupported, expression, expression.ToString(), ConditionHint);
            return null;
        }

        return ParseValue(value, type) is { } slot ? new Condition(slot, negated ? "false" : "true", negated ? "true" : "false") : null;
    }

    /// <summary><c>switch</c> on an enum, integer, char, bool or string: each section a branch on its labels.</summary>
    private void ParseSwitch(SwitchStatementSyntax statement)
    {
        var type = _semanticModel.GetTypeInfo(statement.Expression, _cancellationToken).Type;
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            _unbound = true;
            return;
        }

        var underlying = type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } e } ? e : type;
        var switchable = underlying.SpecialType is SpecialType.System_String or SpecialType.System_Boolean or SpecialType.System_Char
            or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64;
        if (!switchable)
        {
            Report(DiagnosticDescriptors.SwitchNotSupported, statement.Expression, $"it switches on a {type.ToDisplayString()}; a graph switches on an enum, an integer, a char, a bool or a string");
            return;
        }

        var sections = new List<(SwitchSectionSyntax Section, List<string> Labels, bool IsDefault, List<StatementSyntax> Body)>();
        var ok = true;
        foreach (var section in statement.Sections)
        {
            var labels = new List<string>();
            var isDefault = false;
            foreach (var label in section.Labels)
            {
                switch (label)
                {
                    case DefaultSwitchLabelSyntax:
                        isDefault = true;
                        break;
                    case CaseSwitchLabelSyntax { Value: var constant }:
                        ok &= AddLabel(constant, type, labels);
                        break;
                    case CasePatternSwitchLabelSyntax { Pattern: ConstantPatternSyntax constant, WhenClause: null }:
                        ok &= AddLabel(constant.Expression, type, labels);
                        break;
                    default:
                        Report(DiagnosticDescriptors.SwitchNotSupported, label, $"'{label}' is a pattern; a graph compares with constant labels ('case Mode.Fast:') and 'default'");
                        ok = false;
                        break;
                }
            }

            var body = section.Statements.ToList();
            if (body.Count > 0 && body[body.Count - 1] is BreakStatementSyntax)
            {
                body.RemoveAt(body.Count - 1);
            }

            if (body.SelectMany(s => s.DescendantNodesAndSelf()).FirstOrDefault(n => n is BreakStatementSyntax or GotoStatementSyntax) is { } jump)
            {
                Report(DiagnosticDescriptors.SwitchNotSupported, jump, "a 'break' or 'goto' before the end of a section; end each section with one 'break' (or a 'return')");
                ok = false;
            }

            sections.Add((section, labels, isDefault, body));
        }

        if (!ok)
        {
            return;
        }

        var slot = ParseValue(statement.Expression, type);
        if (slot is null)
        {
            return;
        }

        var entry = _path;
        var firstNode = _nodes.Count;
        var allLabels = sections.Where(s => !s.IsDefault).SelectMany(s => s.Labels).ToList();
        var arms = new List<Arm>();
        var hasDefault = false;
        foreach (var (_, labels, isDefault, body) in sections)
        {
            hasDefault |= isDefault;
            var branch = isDefault
                ? AddBranch(entry.Branch, slot.Value, BranchTest.EqualsNone, allLabels)
                : AddBranch(entry.Branch, slot.Value, BranchTest.Equals, labels);
            _path = entry.Enter(branch);
            foreach (var inner in body)
            {
                if (_path.Returned)
                {
                    break;
                }

                ParseStatement(inner);
            }

            arms.Add(new Arm(_path, branch, _path.Branch));
        }

        if (!hasDefault)
        {
            // No section matched: the switch does nothing, and the code after it runs.
            var none = AddBranch(entry.Branch, slot.Value, BranchTest.EqualsNone, allLabels);
            arms.Add(new Arm(entry.Enter(none), none, none));
        }

        JoinArms(entry, firstNode, arms, statement);
    }

    private bool AddLabel(ExpressionSyntax label, ITypeSymbol type, List<string> labels)
    {
        var constant = _semanticModel.GetConstantValue(label, _cancellationToken);
        if (!constant.HasValue)
        {
            Report(DiagnosticDescriptors.SwitchNotSupported, label, $"'{label}' is not a constant");
            return false;
        }

        labels.Add(ConstantFormatter.Format(constant.Value, type));
        return true;
    }

    /// <summary>A branch condition: the slot it reads, and the literal that makes it true (and false).</summary>
    private readonly record struct Condition(SlotRef Slot, string WhenTrue, string WhenFalse);
}
