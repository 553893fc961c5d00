using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Walks one method body's operations once and records a <see cref="MethodSummary"/>: which
/// parameters it writes into, reads or passes on, and which static state it writes.
/// </summary>
/// <remarks>
/// Deliberately conservative: a write is recorded only when the written object is provably a
/// parameter's (through fields, elements, conversions and locals initialized from them), and
/// never when it happens under <c>lock</c> or through <c>Interlocked</c>/<c>Volatile</c>.
/// </remarks>
internal sealed class MethodSummaryBuilder
{
    // How many local aliases (var x = p.Items; ...) are followed back to a parameter.
    private const int MaxAliasDepth = 3;

    private readonly IMethodSymbol _method;
    private readonly CancellationToken _cancellationToken;
    private readonly MethodSummary _summary = new();

    // Parameters already given a new value (`items = new List<int>(items);`): later writes go to that value.
    private readonly HashSet<int> _reassigned = new();

    private MethodSummaryBuilder(IMethodSymbol method, CancellationToken cancellationToken)
    {
        _method = method;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Summarizes the body made of <paramref name="blocks"/>.</summary>
    public static MethodSummary Build(IMethodSymbol method, ImmutableArray<IOperation> blocks, CancellationToken cancellationToken)
    {
        var builder = new MethodSummaryBuilder(method, cancellationToken);
        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                builder.Visit(operation);
            }
        }

        return builder._summary;
    }

    private void Visit(IOperation operation)
    {
        switch (operation)
        {
            case IParameterReferenceOperation reference when IsOwn(reference.Parameter):
                _summary.Uses.Add(reference.Parameter.Ordinal);
                break;
            case IAssignmentOperation assignment:
                RecordStorageWrite(assignment.Target, assignment);
                if (assignment is ISimpleAssignmentOperation { Target: IParameterReferenceOperation { Parameter: var parameter } } &&
                    IsOwn(parameter) && parameter.RefKind == RefKind.None)
                {
                    _reassigned.Add(parameter.Ordinal);
                }

                break;
            case IIncrementOrDecrementOperation increment:
                RecordStorageWrite(increment.Target, increment);
                break;
            case IInvocationOperation invocation:
                VisitInvocation(invocation);
                break;
        }
    }

    private void VisitInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (ThreadSafetyKnowledge.IsSynchronizationMethod(method))
        {
            return;
        }

        var inSource = IsInSource(method);
        if (inSource)
        {
            _summary.Callees.Add(method);
        }

        if (invocation.Instance is { } receiver && !method.IsStatic)
        {
            if (inSource)
            {
                RecordPass(receiver, method, MethodSummary.This, invocation);
            }
            else if (ThreadSafetyKnowledge.IsMutatingMethod(method) && IsFrameworkType(method.ContainingType))
            {
                RecordObjectWrite(receiver, invocation);
            }
        }

        var written = ThreadSafetyKnowledge.WrittenArguments(method);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                RecordStorageWrite(argument.Value, invocation);
                if (inSource)
                {
                    // `Fill(ref items)`: the callee may also write into the object the variable holds.
                    RecordPass(argument.Value, method, parameter.Ordinal, invocation);
                }
            }
            else if ((written is not null && written.Contains(parameter.Name)) ||
                     (method.Name is "CopyTo" or "TryCopyTo" && parameter.Name is "array" or "destination" && IsFrameworkType(method.ContainingType)))
            {
                RecordObjectWrite(argument.Value, invocation);
            }
            else if (inSource)
            {
                RecordPass(argument.Value, method, parameter.Ordinal, invocation);
            }
        }
    }

    /// <summary>A write into the storage <paramref name="target"/> denotes (a field, an element, a property).</summary>
    private void RecordStorageWrite(IOperation target, IOperation writer)
    {
        var root = StorageOwner(target, out var direct);
        Record(root, writer, direct);
    }

    /// <summary>A write into the object <paramref name="instance"/> evaluates to (a mutating call on it).</summary>
    private void RecordObjectWrite(IOperation instance, IOperation writer)
    {
        var stripped = Strip(instance);
        if (stripped.Type is { IsValueType: true })
        {
            // A mutating call on a struct changes the storage it sits in.
            RecordStorageWrite(stripped, writer);
            return;
        }

        var root = Root(stripped, 0);
        Record(root, writer, direct: stripped is IParameterReferenceOperation);
    }

    private void Record(ValueRoot root, IOperation writer, bool direct)
    {
        if (root.Kind == ValueRootKind.None || IsUnderLock(writer))
        {
            return;
        }

        var what = Describe(writer);
        if (root.Kind == ValueRootKind.Parameter)
        {
            _summary.Writes.Add(new ValueWrite(root.Ordinal, what, writer.Syntax.GetLocation(), direct));
        }
        else if (_method.MethodKind != MethodKind.StaticConstructor)
        {
            _summary.StaticWrites.Add(new StaticWrite(root.Member!, what, writer.Syntax.GetLocation()));
        }
    }

    private void RecordPass(IOperation value, IMethodSymbol callee, int ordinal, IOperation call)
    {
        var root = Root(Strip(value), 0);
        if (root.Kind != ValueRootKind.None && !IsUnderLock(call))
        {
            _summary.Passes.Add(new ValuePass(root, callee, ordinal, call.Syntax.GetLocation()));
        }
    }

    /// <summary>
    /// Whose object holds the storage <paramref name="target"/>: an array element or a field of a
    /// class lives in that object; a field of a struct lives wherever the struct lives (a copy,
    /// for a parameter passed by value).
    /// </summary>
    private ValueRoot StorageOwner(IOperation target, out bool direct)
    {
        direct = false;
        target = Strip(target);
        switch (target)
        {
            case IArrayElementReferenceOperation element:
                var array = Strip(element.ArrayReference);
                direct = array is IParameterReferenceOperation;
                return Root(array, 0);
            case IFieldReferenceOperation { Field: var field } reference:
                if (field.IsStatic)
                {
                    return StaticRoot(field, type: null);
                }

                return reference.Instance is { } instance ? Owner(instance, out direct) : ValueRoot.None;
            case IPropertyReferenceOperation { Property: var property } reference:
                if (ThreadSafetyKnowledge.IsThreadSafeType(property.ContainingType))
                {
                    return ValueRoot.None;
                }

                if (property.IsStatic)
                {
                    return StaticRoot(property, type: null);
                }

                return reference.Instance is { } owner ? Owner(owner, out direct) : ValueRoot.None;
            default:
                return ValueRoot.None;
        }
    }

    /// <summary>The object a member is written in: the instance itself for classes, its storage for structs.</summary>
    private ValueRoot Owner(IOperation instance, out bool direct)
    {
        var stripped = Strip(instance);
        if (stripped.Type is { IsValueType: true })
        {
            return StorageOwner(stripped, out direct);
        }

        direct = stripped is IParameterReferenceOperation;
        return Root(stripped, 0);
    }

    /// <summary>The parameter (or static member) whose object graph <paramref name="value"/> belongs to.</summary>
    private ValueRoot Root(IOperation value, int aliasDepth)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        value = Strip(value);
        switch (value)
        {
            case IParameterReferenceOperation reference when IsOwn(reference.Parameter):
                // The operations are visited in source order, so a write after a reassignment
                // (a copy made first) no longer reaches the caller's object.
                return _reassigned.Contains(reference.Parameter.Ordinal) ? ValueRoot.None : ValueRoot.Parameter(reference.Parameter.Ordinal);
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } when !_method.IsStatic:
                return ValueRoot.Parameter(MethodSummary.This);
            case IFieldReferenceOperation { Field: var field } reference:
                return field.IsStatic ? StaticRoot(field, field.Type) : reference.Instance is { } instance ? Root(instance, aliasDepth) : ValueRoot.None;
            case IPropertyReferenceOperation { Property: var property } reference:
                return property.IsStatic ? StaticRoot(property, property.Type) : reference.Instance is { } owner ? Root(owner, aliasDepth) : ValueRoot.None;
            case IArrayElementReferenceOperation element:
                return Root(element.ArrayReference, aliasDepth);
            case ILocalReferenceOperation local when aliasDepth < MaxAliasDepth:
                return AliasRoot(local, aliasDepth + 1);
            default:
                return ValueRoot.None;
        }
    }

    /// <summary><c>var items = p.Items;</c> or <c>foreach (var row in rows)</c>: the local refers into the initializer's object.</summary>
    private ValueRoot AliasRoot(ILocalReferenceOperation local, int aliasDepth)
    {
        if (local.Local.IsRef || local.SemanticModel is not { } model ||
            local.Local.DeclaringSyntaxReferences is not [var declaration])
        {
            return ValueRoot.None;
        }

        var syntax = declaration.GetSyntax(_cancellationToken);
        var source = syntax switch
        {
            VariableDeclaratorSyntax { Initializer.Value: var initializer } => initializer,
            ForEachStatementSyntax loop => loop.Expression,
            _ => null,
        };
        if (source is null || source.SyntaxTree != model.SyntaxTree ||
            model.GetOperation(source, _cancellationToken) is not { } operation)
        {
            return ValueRoot.None;
        }

        // Only the object itself aliases: a value computed from it (p.Count, p.ToList()) does not.
        return Root(operation, aliasDepth);
    }

    /// <summary>
    /// Static state: assigning the member itself (<paramref name="type"/> null) is always a write;
    /// writing into the object it holds is not when that object is of a thread-safe type.
    /// </summary>
    private static ValueRoot StaticRoot(ISymbol member, ITypeSymbol? type)
    {
        if (!IsInSource(member) || member is IFieldSymbol { IsConst: true } || IsThreadStatic(member) ||
            ThreadSafetyKnowledge.IsThreadSafeType(type))
        {
            return ValueRoot.None;
        }

        return ValueRoot.Static(member);
    }

    private static bool IsThreadStatic(ISymbol member) =>
        member.GetAttributes().Any(a => a.AttributeClass is { Name: "ThreadStaticAttribute" });

    private static bool IsUnderLock(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILockOperation)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsOwn(IParameterSymbol parameter) =>
        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _method);

    private static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation { Operand: var operand })
        {
            operation = operand;
        }

        return operation;
    }

    private static bool IsInSource(ISymbol symbol) => !symbol.DeclaringSyntaxReferences.IsEmpty;

    private static bool IsFrameworkType(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace;
        while (ns is { ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is { Name: "System" };
    }

    private static string Describe(IOperation writer)
    {
        var text = writer.Syntax.ToString();
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
