using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>Runs <see cref="FlowBodyAnalyzer"/> over markup sources, with references from the local SDK only.</summary>
internal static class AnalyzerVerifier
{
    /// <summary>Tasks the rule tests call, so that each test shows only its flow.</summary>
    public const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        public static class T
        {
            [Task] public static string[] Load(string path) => new[] { path };
            [Task] public static int Count(string[] lines) => lines.Length;
            [Task] public static int Length(string line) => line.Length;
            [Task] public static long Wide(long value) => value;
            [Task] public static string Show(object value) => "" + value;
            [Task] public static async Task<string[]> Fetch(string url, CancellationToken ct)
            {
                await Task.Delay(1, ct);
                return new[] { url };
            }

            public static int Helper(string line) => line.Length;
        }

        """;

    public static Task VerifyAsync(string source) => VerifyAsync(new[] { Prelude + source });

    public static Task VerifyAsync(string[] sources)
    {
        var test = new CSharpAnalyzerTest<FlowBodyAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
        };
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        return test.RunAsync();
    }
}
