using System.Linq;
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
        _resultType = resultType;
        if (declaration.ExpressionBody is { } arrow)
        {
            if (resultType is null)
            {
                ParseStep(arrow.Expression);
                return null;
            }

            return ParseValue(arrow.Expression, resultType);
        }

        ParseStatements(declaration.Body!.Statements);
        return Output();
    }

    /// <summary>The flow's result: the one return's value, or a merge of the returns by the branch each is in.</summary>
    private SlotRef? Output()
    {
        var values = _returns.Where(r => r.Slot is not null).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1 && values[0].Branch < 0)
        {
            return values[0].Slot;
        }

        _path = new BodyPath();
        var merge = RegisterControl(
            new NodeModel(NodeKind.Merge, UniqueNodeName("<return>"), -1, null, null, null, null, false, default)
            {
                MergeBranches = values.Select(r => r.Branch).ToEquatableArray(),
            },
            values.Select(r => r.Slot!.Value).ToList());
        return new SlotRef(SlotKind.Node, merge);
    }

    private void ParseStatements(SyntaxList<StatementSyntax> statements)
    {
        foreach (var statement in statements)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (_path.Returned)
            {
                // Unreachable (the compiler warns): nothing after a return runs eagerly either.
                return;
            }

            ParseStatement(statement);
        }
    }

    private void ParseStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax local:
                ParseLocalDeclaration(local);
                break;
            case ExpressionStatementSyntax expression:
                ParseExpressionStatement(expression.Expression);
                break;
            case ReturnStatementSyntax ret:
                ParseReturn(ret);
                break;
            case IfStatementSyntax ifStatement:
                ParseIf(ifStatement);
                break;
            case SwitchStatementSyntax switchStatement:
                ParseSwitch(switchStatement);
                break;
            case TryStatementSyntax tryStatement:
                ParseTry(tryStatement);
                break;
            case BlockSyntax block:
                ParseStatements(block.Statements);
                break;
            case EmptyStatementSyntax:
                break;
            default:
                Report(DiagnosticDescriptors.StatementNotAllowed, statement, Describe(statement));
                break;
        }
    }

    private void ParseReturn(ReturnStatementSyntax statement)
    {
        SlotRef? slot = null;
        if (statement.Expression is not null && _resultType is not null)
        {
            slot = ParseValue(statement.Expression, _resultType);
            if (slot is null)
            {
                _path.Returned = true;
                return;
            }
        }

        _returns.Add(new PendingReturn(_path.Branch, slot));
        _path.Returned = true;
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
            if (_semanticModel.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local)
            {
                continue;
            }

            _path.Declared.Add(local);
            if (variable.Initializer is not null)
            {
                Assign(local, variable.Initializer.Value);
            }
        }
    }

    /// <summary>Binds a local to the value of a step, another local, a parameter or a constant.</summary>
    private void Assign(ILocalSymbol local, ExpressionSyntax value)
    {
        if (ParseValue(value, local.Type) is { } slot)
        {
            _path.Locals[local] = slot;
            _path.Unreadable.Remove(local);
        }
    }

    /// <summary>A value read as <paramref name="target"/>: a step's result, or what <see cref="ValueSlot"/> accepts.</summary>
    /// <param name="expression">The value as written.</param>
    /// <param name="target">The type it is read as.</param>
    /// <param name="asArgument">It is a call's argument (whose refusal says what an argument may be), not a local's value.</param>
    private SlotRef? ParseValue(ExpressionSyntax expression, ITypeSymbol target, bool asArgument = false)
    {
        var value = StripParentheses(expression);
        if (value is AwaitExpressionSyntax || (value is InvocationExpressionSyntax && !_semanticModel.GetConstantValue(value, _cancellationToken).HasValue))
        {
            var step = ParseStep(value);
            return step is { Type: { } type } && CheckConversion(value, type, target) ? step.Value.Slot : null;
        }

        return ValueSlot(value, target, isReturn: !asArgument);
    }

    private void ParseExpressionStatement(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax } discard
                when discard.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                     _semanticModel.GetSymbolInfo(discard.Left, _cancellationToken).Symbol is IDiscardSymbol:
                ParseEffect(discard.Right);
                return;
            case AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment
                when assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) &&
                     _semanticModel.GetSymbolInfo(target, _cancellationToken).Symbol is ILocalSymbol local:
                Assign(local, assignment.Right);
                return;
            case AssignmentExpressionSyntax { Left: DeclarationExpressionSyntax or TupleExpressionSyntax } deconstruction
                when deconstruction.IsKind(SyntaxKind.SimpleAssignmentExpression):
                ParseDeconstruction(deconstruction);
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
            case InvocationExpressionSyntax invocation
                when _semanticModel.GetSymbolInfo(invocation, _cancellationToken).Symbol is IMethodSymbol method && KnownSymbols.IsFlowAfter(method):
                ParseAfter(invocation);
                return;
            default:
                ParseEffect(expression);
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
        if (kind is null && LogsFromBody(called))
        {
            Report(DiagnosticDescriptors.LoggingInFlowBody, invocation, invocation.ToString());
            return null;
        }

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
        ForStatementSyntax => "A 'for' loop",
        CommonForEachStatementSyntax => "A 'foreach' loop",
        WhileStatementSyntax => "A 'while' loop",
        DoStatementSyntax => "A 'do' loop",
        UsingStatementSyntax => "A 'using' statement",
        LockStatementSyntax => "A 'lock' statement",
        ThrowStatementSyntax => "A 'throw' statement (a task throws; the flow fails with it)",
        BreakStatementSyntax => "A 'break' outside the end of a switch section",
        LocalFunctionStatementSyntax => "A local function",
        _ => "A '" + statement.GetFirstToken().ValueText + "' statement",
    };

    /// <summary>The slot a step writes and the type of the value it holds (null for a task that returns nothing).</summary>
    private readonly record struct StepResult(SlotRef Slot, ITypeSymbol? Type);

    /// <summary>
    /// A call on a logger in the flow body (<c>log.LogInformation(...)</c>, an ILogger method or
    /// extension): a direct call would run it, a graph run cannot.
    /// </summary>
    private static bool LogsFromBody(IMethodSymbol called)
    {
        if (called.ReducedFrom is not null)
        {
            return KnownSymbols.IsLogger(called.ReceiverType) || called.ReceiverType?.AllInterfaces.Any(KnownSymbols.IsLogger) == true;
        }

        return KnownSymbols.IsLogger(called.ContainingType) ||
            (called.IsStatic && called.Parameters.Length > 0 && called.IsExtensionMethod && KnownSymbols.IsLogger(called.Parameters[0].Type));
    }
}
