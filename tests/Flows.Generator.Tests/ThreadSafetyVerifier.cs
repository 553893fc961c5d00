using Flows.Generator.Analyzers.ThreadSafety;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>
/// Runs <see cref="ThreadSafetyAnalyzer"/> over markup sources with the Flows generator too, so
/// that the generated <c>XFlow.RunAsync</c> methods exist as in a real build. References come
/// from the local SDK only.
/// </summary>
internal static class ThreadSafetyVerifier
{
    /// <summary>The usings every test source needs.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        """;

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { ReferenceAssemblies = TestReferences.None };
        test.ExpectedDiagnostics.AddRange(expected);
        test.TestState.Sources.Add(Usings + source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        return test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<ThreadSafetyAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(FlowGenerator) };
    }
}
