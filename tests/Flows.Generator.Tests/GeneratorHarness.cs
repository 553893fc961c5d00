using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>Runs <see cref="FlowGenerator"/> over sources with <see cref="CSharpGeneratorDriver"/>.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "FlowsUnderTest",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

    public static GeneratorDriver Driver(bool trackSteps = true) =>
        CSharpGeneratorDriver.Create(
            new[] { new FlowGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the compilation with the generated files and the run's result.</summary>
    public static (Compilation Output, GeneratorDriverRunResult Result) Run(params string[] sources)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        return (output, driver.GetRunResult());
    }

    public static ImmutableDictionary<string, string> GeneratedFiles(GeneratorDriverRunResult result) =>
        result.Results.Single().GeneratedSources.ToImmutableDictionary(s => s.HintName, s => s.SourceText.ToString());
}
