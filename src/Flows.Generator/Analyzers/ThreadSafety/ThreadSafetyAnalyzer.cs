using System.Collections.Immutable;
using Flows.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Generator.Analyzers.ThreadSafety;

/// <summary>
/// Warns where tasks that run on threads share data unsafely: a mutable value written by one of
/// two tasks that can overlap (FLOW201), an object unsafe even to read from two threads
/// (FLOW202), and static state a task writes without synchronization (FLOW203).
/// </summary>
/// <remarks>
/// One analyzer for the three rules so that the compilation is indexed once; each rule is a
/// visitor. Diagnostics are reported when the whole compilation has been analyzed.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class ThreadSafetyAnalyzer : FlowEntryPointAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.ThreadSafety;

    /// <inheritdoc />
    private protected override ImmutableArray<FlowVisitor> CreateVisitors() => ImmutableArray.Create<FlowVisitor>(
        new SharedMutableValueVisitor(),
        new ThreadUnsafeValueVisitor(),
        new StaticStateVisitor());
}
