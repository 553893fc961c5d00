using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    /// <summary>Parses the statements; returns the slot of the flow's result, if it returns one.</summary>
    private SlotRef? ParseBody(MethodDeclarationSyntax declaration, ITypeSymbol? resultType)
    {
        if (declaration.ExpressionBody is { } arrow)
        {
            if (resultType is null)
            {
                ParseStep(arrow.Expression);
                return null;
            }

            return ParseReturnValue(arrow.Expression, resultType);
        }

        SlotRef? output = null;
        var statements = declaration.Body!.Statements;
        for (var i = 0; i < statements.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (statements[i])
            {
                case LocalDeclarationStatementSyntax local:
                    ParseLocalDeclaration(local);
                    break;
                case ExpressionStatementSyntax statement:
                    ParseExpressionStatement(statement.Expression);
                    break;
                case ReturnStatementSyntax ret when i != statements.Count - 1:
                    Report(DiagnosticDescriptors.StatementNotAllowed, ret, "A 'return' before the last statement");
                    break;
                case ReturnStatementSyntax ret:
                    if (ret.Expression is not null && resultType is not null)
                    {
                        output = ParseReturnValue(ret.Expression, resultType);
                    }

                    break;
                case EmptyStatementSyntax:
                    break;
                case var other:
                    Report(DiagnosticDescriptors.StatementNotAllowed, other, Describe(other));
                    break;
            }
        }

        return output;
    }

    private void ParseLocalDeclaration(LocalDeclarationStatementSyntax statement)
    {
        if (statement.IsConst)
        {
            // A const local is read where it is used, as a constant.
            return;
        }

        if (statement.UsingKeyword != default || statement.AwaitKeyword != default)
        {
            Report(DiagnosticDescriptors.StatementNotAllowed, statement, "A 'using' declaration");
            return;
        }

        foreach (var variable in statement.Declaration.Variables)
        {
            if (variable.Initializer is null)
            {
                Report(DiagnosticDescriptors.StatementNotAllowed, variable, "A local without a value");
                continue;
            }

            var step = ParseStep(variable.Initializer.Value);
            if (step is null || _semanticModel.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local)
            {
                continue;
            }

            if (step.Value.Type is { } type && CheckConversion(variable.Initializer.Value, type, local.Type))
            {
                _locals[local] = step.Value.Slot;
            }
        }
    }

    private void ParseExpressionStatement(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax } discard
                when discard.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                     _semanticModel.GetSymbolInfo(discard.Left, _cancellationToken).Symbol is IDiscardSymbol:
                ParseStep(discard.Right);
                return;
            case AssignmentExpressionSyntax assignment:
                ReportAssignment(assignment, assignment.Left);
                return;
            case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression):
                ReportAssignment(prefix, prefix.Operand);
                return;
            case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression):
                ReportAssignment(postfix, postfix.Operand);
                return;
            default:
                ParseStep(expression);
                return;
        }
    }

    private void ReportAssignment(ExpressionSyntax assignment, ExpressionSyntax target)
    {
        var symbol = _semanticModel.GetSymbolInfo(target, _cancellationToken).Symbol;
        if (symbol is ILocalSymbol or IParameterSymbol)
        {
            Report(DiagnosticDescriptors.VariableReassigned, assignment, assignment.ToString(), symbol.Name);
        }
        else
        {
            Report(DiagnosticDescriptors.ExpressionNotAllowed, assignment, assignment.ToString());
        }
    }

    private SlotRef? ParseReturnValue(ExpressionSyntax expression, ITypeSymbol resultType)
    {
        var value = StripParentheses(expression);
        if (value is AwaitExpressionSyntax or InvocationExpressionSyntax)
        {
            var step = ParseStep(value);
            if (step is null)
            {
                return null;
            }

            return step.Value.Type is { } type && CheckConversion(value, type, resultType) ? step.Value.Slot : null;
        }

        return ValueSlot(value, resultType, isReturn: true);
    }

    /// <summary>
    /// Parses one step: a possibly awaited call of a task, <c>Flow.Map</c> or a flow. Adds its node
    /// and returns where its result lives, or null when the step is refused.
    /// </summary>
    private StepResult? ParseStep(ExpressionSyntax expression)
    {
        var call = StripParentheses(expression);
        AwaitExpressionSyntax? awaited = null;
        if (call is AwaitExpressionSyntax awaitExpression)
        {
            awaited = awaitExpression;
            call = StripConfigureAwait(StripParentheses(awaitExpression.Expression));
        }

        if (call is not InvocationExpressionSyntax invocation)
        {
            if (awaited is not null)
            {
                Report(DiagnosticDescriptors.AwaitNotAllowed, awaited, awaited.ToString());
            }
            else if (ReferencesNodeResult(call))
            {
                Report(DiagnosticDescriptors.ResultUsedOutsideTaskCall, call, call.ToString());
            }
            else
            {
                Report(DiagnosticDescriptors.ExpressionNotAllowed, call, call.ToString());
            }

            return null;
        }

        if (_semanticModel.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol called)
        {
            _unbound = true;
            return null;
        }

        // `rows.Total()` calls the static extension method; its receiver is the first argument.
        var method = called.ReducedFrom ?? called;

        var kind = KnownSymbols.IsFlowMap(method) ? NodeKind.Map
            : KnownSymbols.IsTask(method) ? NodeKind.Task
            : KnownSymbols.IsFlow(method) ? NodeKind.Subflow
            : (NodeKind?)null;
        if (kind is null)
        {
            Report(DiagnosticDescriptors.NotATaskOrFlow, invocation, method.ContainingType.Name + "." + method.Name);
            return null;
        }

        var isAsync = KnownSymbols.IsTaskLike(method.ReturnType);
        if (isAsync && awaited is null)
        {
            Report(DiagnosticDescriptors.AsyncCallNotAwaited, invocation, invocation.ToString());
            return null;
        }

        if (!isAsync && awaited is not null)
        {
            Report(DiagnosticDescriptors.AwaitNotAllowed, awaited, awaited.ToString());
            return null;
        }

        return kind switch
        {
            NodeKind.Map => ParseMap(invocation, method),
            NodeKind.Task => ParseTaskCall(invocation, method),
            _ => ParseSubflowCall(invocation, method),
        };
    }

    private static ExpressionSyntax StripParentheses(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary><c>await Download(url).ConfigureAwait(false)</c> is the same step as <c>await Download(url)</c>.</summary>
    private static ExpressionSyntax StripConfigureAwait(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } access,
            ArgumentList.Arguments.Count: 1,
        }
            ? StripParentheses(access.Expression)
            : expression;

    private static string Describe(StatementSyntax statement) => statement switch
    {
        IfStatementSyntax => "An 'if' statement",
        SwitchStatementSyntax => "A 'switch' statement",
        ForStatementSyntax => "A 'for' loop",
        CommonForEachStatementSyntax => "A 'foreach' loop",
        WhileStatementSyntax => "A 'while' loop",
        DoStatementSyntax => "A 'do' loop",
        TryStatementSyntax => "A 'try' statement",
        UsingStatementSyntax => "A 'using' statement",
        LockStatementSyntax => "A 'lock' statement",
        ThrowStatementSyntax => "A 'throw' statement",
        BlockSyntax => "A nested block",
        LocalFunctionStatementSyntax => "A local function",
        _ => "A '" + statement.GetFirstToken().ValueText + "' statement",
    };

    /// <summary>The slot a step writes and the type of the value it holds (null for a task that returns nothing).</summary>
    private readonly record struct StepResult(SlotRef Slot, ITypeSymbol? Type);
}
