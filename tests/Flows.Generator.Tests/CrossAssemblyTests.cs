using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>Subflows defined in a referenced assembly.</summary>
public sealed class CrossAssemblyTests
{
    private const string Library = """
        using Flows;

        namespace Lib
        {
            public static partial class Child
            {
                [Task] public static int Length(string text) => text.Length;

                [Flow] public static int Measure(string text) => Length(text);
            }
        }
        """;

    private const string Caller = """
        using Flows;

        public static partial class Parent
        {
            [Flow] public static int Run(string text) => {|#0:Lib.Child.Measure(text)|};
        }
        """;

    [Fact]
    public void A_subflow_from_a_library_built_with_the_generator_compiles_into_the_callers_graph()
    {
        var library = LibraryReference(withGenerator: true);
        var compilation = GeneratorHarness.Compilation(Caller.Replace("{|#0:", "").Replace("|}", ""))
            .AddReferences(library);

        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info));
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("global::Lib.Child.MeasureFlow.Graph", StringComparison.Ordinal));
    }

    [Fact]
    public Task FLOW017_fires_on_a_subflow_from_a_library_built_without_the_generator()
    {
        var test = Test(LibraryReference(withGenerator: false));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("FLOW017", DiagnosticSeverity.Error).WithLocation(0).WithArguments("Measure", "its assembly was built without the Flows generator, so it has no graph"));
        return test.RunAsync();
    }

    [Fact]
    public Task FLOW017_is_quiet_for_a_subflow_from_a_library_built_with_the_generator() =>
        Test(LibraryReference(withGenerator: true)).RunAsync();

    private static CSharpAnalyzerTest<FlowBodyAnalyzer, DefaultVerifier> Test(MetadataReference library)
    {
        var test = new CSharpAnalyzerTest<FlowBodyAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
            TestCode = Caller,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.TestState.AdditionalReferences.Add(library);
        return test;
    }

    private static MetadataReference LibraryReference(bool withGenerator)
    {
        Compilation library = GeneratorHarness.Compilation(Library).WithAssemblyName("Lib");
        if (withGenerator)
        {
            GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(library, out library, out _);
        }

        using var stream = new MemoryStream();
        var emit = library.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
