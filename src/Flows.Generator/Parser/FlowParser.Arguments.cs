using System.Linq;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    private const string AllowedArguments =
        "pass a flow parameter, a local that holds an earlier step's result, or a constant, and compute anything else inside a task";

    /// <summary>The slot of one non-token argument, or null when it is refused.</summary>
    private SlotRef? ArgumentSlot(IArgumentOperation argument)
    {
        var parameter = argument.Parameter!;
        switch (argument.ArgumentKind)
        {
            case ArgumentKind.DefaultValue:
                return AddConstant(DefaultValueOf(parameter));
            case ArgumentKind.ParamArray:
                if (argument.Value is IArrayCreationOperation { Initializer: null or { ElementValues.Length: 0 } } &&
                    parameter.Type is IArrayTypeSymbol array &&
                    argument.IsImplicit)
                {
                    return AddConstant("global::System.Array.Empty<" + TypeNames.Global(array.ElementType) + ">()");
                }

                Report(DiagnosticDescriptors.ArgumentNotAllowed, argument.Syntax, argument.Syntax.ToString(), $"the values of 'params' parameter '{parameter.Name}' must be passed as one array that a task made or the flow received");
                return null;
        }

        // A nested call is a step of its own, made before the call that reads it (C# evaluates
        // arguments first): 'Summarize(Parse(lines))'.
        var expression = argument.Syntax is ArgumentSyntax syntax ? syntax.Expression : (ExpressionSyntax)argument.Syntax;
        return ParseValue(expression, parameter.Type, asArgument: true);
    }

    /// <summary>
    /// The slot of a value the flow passes along: a flow parameter, a local bound to a node's
    /// result, or a constant converted to <paramref name="target"/>.
    /// </summary>
    /// <param name="expression">The value as written.</param>
    /// <param name="target">The type the consumer reads it as.</param>
    /// <param name="isReturn">The value is the flow's <c>return</c> value rather than an argument.</param>
    private SlotRef? ValueSlot(ExpressionSyntax expression, ITypeSymbol target, bool isReturn = false)
    {
        var value = StripParentheses(expression);
        if (value is IdentifierNameSyntax)
        {
            var symbol = _semanticModel.GetSymbolInfo(value, _cancellationToken).Symbol;
            if (symbol is IParameterSymbol parameter && _parameters.TryGetValue(parameter, out var index))
            {
                return CheckConversion(value, parameter.Type, target) ? new SlotRef(SlotKind.Parameter, index) : null;
            }

            if (symbol is ILocalSymbol unreadable && _path.Unreadable.TryGetValue(unreadable, out var reason))
            {
                Report(DiagnosticDescriptors.LocalNotReadable, value, value.ToString(), reason);
                return null;
            }

            if (symbol is ILocalSymbol local && _path.Locals.TryGetValue(local, out var slot))
            {
                return CheckConversion(value, local.Type, target) ? slot : null;
            }

            if (symbol is IParameterSymbol token && KnownSymbols.IsCancellationToken(token.Type))
            {
                Report(DiagnosticDescriptors.ArgumentNotAllowed, value, value.ToString(), "the flow's CancellationToken is bound by the runtime, so pass it only where a task or flow takes a CancellationToken");
                return null;
            }

            if (symbol is IParameterSymbol logger && KnownSymbols.IsLogger(logger.Type))
            {
                Report(DiagnosticDescriptors.ArgumentNotAllowed, value, value.ToString(), "the flow's ILogger is not a graph input (in a run the runtime gives each task its own logger), so pass it only where a task or flow takes an ILogger");
                return null;
            }
        }

        var constant = _semanticModel.GetConstantValue(value, _cancellationToken);
        if (constant.HasValue)
        {
            var conversion = _semanticModel.ClassifyConversion(value, target);
            if (conversion.IsUserDefined)
            {
                var source = _semanticModel.GetTypeInfo(value, _cancellationToken).Type;
                Report(DiagnosticDescriptors.ConversionNotSupported, value, value.ToString(), source?.ToDisplayString() ?? "null", target.ToDisplayString());
                return null;
            }

            // Boxed for a reference-typed parameter, a constant keeps its own type (an enum member
            // passed as object stays that enum); otherwise it takes the parameter's type.
            var own = _semanticModel.GetTypeInfo(value, _cancellationToken).Type;
            var storedAs = target.IsReferenceType && own is not null ? own : target;
            return AddConstant(ConstantFormatter.Format(constant.Value, storedAs));
        }

        if (value is DefaultExpressionSyntax || value.IsKind(SyntaxKind.DefaultLiteralExpression))
        {
            var own = _semanticModel.GetTypeInfo(value, _cancellationToken).Type ?? target;
            return AddConstant(ConstantFormatter.Default(own));
        }

        if (ReferencesNodeResult(value))
        {
            Report(DiagnosticDescriptors.ResultUsedOutsideTaskCall, value, value.ToString());
        }
        else if (isReturn)
        {
            Report(DiagnosticDescriptors.ExpressionNotAllowed, value, value.ToString());
        }
        else
        {
            Report(DiagnosticDescriptors.ArgumentNotAllowed, value, value.ToString(), AllowedArguments);
        }

        return null;
    }

    /// <summary>
    /// A slot holds a boxed value that the consumer unboxes to its own type, so only conversions
    /// that keep the runtime object as it is are allowed: identity, reference, boxing, T to T?.
    /// </summary>
    private bool CheckConversion(ExpressionSyntax at, ITypeSymbol source, ITypeSymbol target)
    {
        var conversion = _semanticModel.Compilation is CSharpCompilation compilation
            ? compilation.ClassifyConversion(source, target)
            : default;
        var keepsObject = conversion.IsIdentity ||
            (conversion.IsImplicit && (conversion.IsReference || conversion.IsBoxing)) ||
            (conversion.IsImplicit && conversion.IsNullable &&
             target is INamedTypeSymbol { TypeArguments: [var underlying] } &&
             SymbolEqualityComparer.Default.Equals(underlying, source));
        if (!keepsObject)
        {
            Report(DiagnosticDescriptors.ConversionNotSupported, at, at.ToString(), source.ToDisplayString(), target.ToDisplayString());
        }

        return keepsObject;
    }

    /// <summary>
    /// A task's CancellationToken is bound by the runtime; in the body it may only be given the
    /// flow's own token, <c>default</c> or <c>CancellationToken.None</c>, which the run replaces.
    /// </summary>
    private bool CheckTokenArgument(IArgumentOperation argument)
    {
        if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Syntax is not ArgumentSyntax syntax)
        {
            return true;
        }

        var value = StripParentheses(syntax.Expression);
        if (value is DefaultExpressionSyntax || value.IsKind(SyntaxKind.DefaultLiteralExpression))
        {
            return true;
        }

        var symbol = _semanticModel.GetSymbolInfo(value, _cancellationToken).Symbol;
        var isFlowToken = symbol is IParameterSymbol parameter &&
            SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _flow);
        var isNone = symbol is IPropertySymbol { Name: "None" } property && KnownSymbols.IsCancellationToken(property.ContainingType);
        if (isFlowToken || isNone)
        {
            return true;
        }

        Report(DiagnosticDescriptors.CancellationArgumentNotAllowed, value, value.ToString());
        return false;
    }

    /// <summary>
    /// A task's <c>ILogger</c> is bound by the runtime to the attempt's logger; in the body it may only
    /// be given the flow's own <c>ILogger</c> parameter (what a direct call logs to) or
    /// <c>NullLogger.Instance</c>. Anything else would log somewhere a run never logs to, and a null
    /// would fail a direct call where the run succeeds.
    /// </summary>
    private bool CheckLoggerArgument(IArgumentOperation argument)
    {
        if (argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            // An optional ILogger parameter's default is null: refused at the call that leaves it out.
            Report(DiagnosticDescriptors.LoggerArgumentNotAllowed, argument.Syntax, argument.Parameter!.Name + " (left out)");
            return false;
        }

        var written = argument.Syntax is ArgumentSyntax syntax ? syntax.Expression : (ExpressionSyntax)argument.Syntax;
        var value = StripParentheses(written);
        var symbol = _semanticModel.GetSymbolInfo(value, _cancellationToken).Symbol;
        var isFlowLogger = symbol is IParameterSymbol parameter &&
            SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _flow) &&
            KnownSymbols.IsLogger(parameter.Type);
        // NullLogger.Instance is a property, NullLogger<T>.Instance a field.
        var isNullLogger = symbol is IPropertySymbol or IFieldSymbol && symbol is { Name: "Instance", IsStatic: true } &&
            KnownSymbols.IsNullLogger(symbol.ContainingType);
        if (isFlowLogger || isNullLogger)
        {
            return true;
        }

        Report(DiagnosticDescriptors.LoggerArgumentNotAllowed, value, value.ToString());
        return false;
    }

    private string DefaultValueOf(IParameterSymbol parameter) =>
        parameter.HasExplicitDefaultValue
            ? ConstantFormatter.Format(parameter.ExplicitDefaultValue, parameter.Type)
            : ConstantFormatter.Default(parameter.Type);

    private SlotRef AddConstant(string expression)
    {
        var index = _constants.IndexOf(expression);
        if (index < 0)
        {
            index = _constants.Count;
            _constants.Add(expression);
        }

        return new SlotRef(SlotKind.Constant, index);
    }

    /// <summary>Whether <paramref name="expression"/> reads a local bound to a node's result.</summary>
    private bool ReferencesNodeResult(ExpressionSyntax expression) =>
        expression.DescendantNodesAndSelf()
            .OfType<IdentifierNameSyntax>()
            .Any(id => _semanticModel.GetSymbolInfo(id, _cancellationToken).Symbol is ILocalSymbol local && _path.Locals.ContainsKey(local));
}
