using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// What one method body does with the objects its parameters refer to and with static state,
/// before calls are followed: the facts <see cref="AccessResolver"/> combines across methods.
/// </summary>
/// <remarks>Parameter ordinals are the method's own; <see cref="This"/> stands for the receiver of an instance method.</remarks>
internal sealed class MethodSummary
{
    /// <summary>The ordinal that stands for <c>this</c>.</summary>
    public const int This = -1;

    /// <summary>Unsynchronized writes into objects reachable from a parameter (or <c>this</c>).</summary>
    public List<ValueWrite> Writes { get; } = new();

    /// <summary>The parameters the body reads or passes on at all.</summary>
    public HashSet<int> Uses { get; } = new();

    /// <summary>Values passed on to methods of this compilation, whose bodies decide whether they write them.</summary>
    public List<ValuePass> Passes { get; } = new();

    /// <summary>Unsynchronized writes of static state declared in this compilation.</summary>
    public List<StaticWrite> StaticWrites { get; } = new();

    /// <summary>The methods of this compilation the body calls, followed for static state.</summary>
    public HashSet<IMethodSymbol> Callees { get; } = new(SymbolEqualityComparer.Default);
}

/// <summary>A write into an object reachable from parameter <paramref name="Ordinal"/>.</summary>
/// <param name="Ordinal">The parameter, or <see cref="MethodSummary.This"/>.</param>
/// <param name="What">The writing code as written, e.g. <c>rows.Add(row)</c>.</param>
/// <param name="Location">Where it is.</param>
/// <param name="Direct">The parameter's own object is written (an element, a mutating call), not an object it refers to: a shallow copy of the parameter fixes it.</param>
internal readonly record struct ValueWrite(int Ordinal, string What, Location Location, bool Direct);

/// <summary>A value handed to <paramref name="Callee"/>'s parameter <paramref name="CalleeOrdinal"/>.</summary>
/// <param name="Root">Where the value comes from in the caller.</param>
/// <param name="Callee">The called method (its original definition).</param>
/// <param name="CalleeOrdinal">The parameter it lands in, or <see cref="MethodSummary.This"/> for the receiver.</param>
/// <param name="Location">The call.</param>
internal readonly record struct ValuePass(ValueRoot Root, IMethodSymbol Callee, int CalleeOrdinal, Location Location);

/// <summary>A write of static state.</summary>
/// <param name="Member">The static field or property, or the one holding the written object.</param>
/// <param name="What">The writing code as written.</param>
/// <param name="Location">Where it is.</param>
internal readonly record struct StaticWrite(ISymbol Member, string What, Location Location);

/// <summary>What a value in a method body is reachable from.</summary>
internal enum ValueRootKind
{
    /// <summary>A local object, a copy, or something the analysis cannot name: never reported.</summary>
    None,

    /// <summary>A parameter's object graph (or <c>this</c>).</summary>
    Parameter,

    /// <summary>A static field or property declared in this compilation.</summary>
    Static,
}

/// <summary>Where a value comes from.</summary>
/// <param name="Kind">Parameter, static state, or neither.</param>
/// <param name="Ordinal">For parameters: the ordinal, or <see cref="MethodSummary.This"/>.</param>
/// <param name="Member">For static state: the field or property.</param>
internal readonly record struct ValueRoot(ValueRootKind Kind, int Ordinal, ISymbol? Member)
{
    public static ValueRoot None => default;

    public static ValueRoot Parameter(int ordinal) => new(ValueRootKind.Parameter, ordinal, null);

    public static ValueRoot Static(ISymbol member) => new(ValueRootKind.Static, 0, member);
}
