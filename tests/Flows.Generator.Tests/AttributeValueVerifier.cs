using Flows.Generator.Analyzers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>Runs <see cref="AttributeValueAnalyzer"/> over markup sources, with references from the local SDK only.</summary>
internal static class AttributeValueVerifier
{
    /// <summary>What the rule tests use, so that each test shows only its attributes.</summary>
    public const string Prelude = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        public sealed class Failure<TCode> : Exception
        {
        }

        public sealed class TransientException : IOException
        {
        }

        """;

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<AttributeValueAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.Sources.Add(Prelude + source);
        test.ExpectedDiagnostics.AddRange(expected);
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        return test.RunAsync();
    }
}
