using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// The generated <c>RunAsync</c> refuses null for the parameters the flow's signature declares
/// non-nullable, and only for those.
/// </summary>
public sealed class NullRefusalTests
{
    private const string Source = """
        using Flows;

        internal static partial class Guarded
        {
            [Task]
            public static int Measure(string text, string? note, int count, int? limit, string loose, string keyword, string[] lines) =>
                text.Length + count;

            [Task]
            public static int Add(int count, int? limit) => count + (limit ?? 0);

            [Flow]
            public static int Mixed(
                string text,
                string? note,
                int count,
                int? limit,
        #nullable disable
                string loose,
        #nullable restore
                string @class,
                string[] lines)
                => Measure(text, note, count, limit, loose, @class, lines);

            [Flow]
            public static int Values(int count, int? limit) => Add(count, limit);
        }
        """;

    [Fact]
    public void RunAsync_checks_each_non_nullable_reference_parameter_and_nothing_else()
    {
        var file = MixedFile();

        Assert.Equal(
            new[]
            {
                "global::System.ArgumentNullException.ThrowIfNull(text, nameof(text));",
                "global::System.ArgumentNullException.ThrowIfNull(@class, nameof(@class));",
                "global::System.ArgumentNullException.ThrowIfNull(lines, nameof(lines));",
            },
            NullChecks(file));
    }

    [Theory]
    [InlineData("note")]
    [InlineData("count")]
    [InlineData("limit")]
    [InlineData("loose")]
    public void RunAsync_does_not_check_a_nullable_value_or_oblivious_parameter(string parameter)
    {
        var file = MixedFile();

        Assert.DoesNotContain($"ThrowIfNull({parameter}", file, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_with_nothing_to_check_keeps_an_expression_bodied_RunAsync()
    {
        var (_, result) = GeneratorHarness.Run(Source);

        var file = GeneratorHarness.GeneratedFiles(result)["Guarded.Values.Flow.g.cs"];

        Assert.Empty(NullChecks(file));
        Assert.Contains("=> global::Flows.Graph.FlowRunner.RunAsync<int>(s_graph,", file, StringComparison.Ordinal);
    }

    [Fact]
    public void The_model_records_which_parameters_refuse_null()
    {
        var driver = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(Source));

        var mixed = driver.GetRunResult().Results.Single().TrackedSteps[FlowGeneratorSteps.FlowModels]
            .SelectMany(s => s.Outputs).Select(o => o.Value).OfType<FlowModel>()
            .Single(m => m.MethodName == "Mixed");

        Assert.Equal(
            new[] { ("text", true), ("note", false), ("count", false), ("limit", false), ("loose", false), ("class", true), ("lines", true) },
            mixed.Parameters.Select(p => (p.GraphName, p.RefusesNull)));
    }

    [Fact]
    public void Checked_RunAsync_and_its_documentation_compile_with_no_diagnostics()
    {
        var parseOptions = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compilation(Source);
        compilation = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Source, parseOptions, compilation.SyntaxTrees.Single().FilePath));
        var driver = CSharpGeneratorDriver.Create(new[] { new FlowGenerator().AsSourceGenerator() }, parseOptions: parseOptions);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("<paramref name=\"text\"/>, <paramref name=\"class\"/> or <paramref name=\"lines\"/> is null; thrown before any task runs.</exception>", StringComparison.Ordinal));
    }

    [Fact]
    public void Checked_RunAsync_throws_for_null_before_running_and_names_the_parameter()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        var runAsync = assembly.Type("Guarded+MixedFlow").GetMethod("RunAsync")!;
        using var executor = new LocalExecutor();

        var error = Assert.Throws<System.Reflection.TargetInvocationException>(() =>
            runAsync.Invoke(null, new object?[] { executor, "text", null, 1, null, null, null, new[] { "a" }, CancellationToken.None, null }));

        Assert.Equal("class", Assert.IsType<ArgumentNullException>(error.InnerException).ParamName);
    }

    private static string MixedFile() =>
        GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(Source).Result)["Guarded.Mixed.Flow.g.cs"];

    private static string[] NullChecks(string file) =>
        file.Split('\n').Select(l => l.Trim()).Where(l => l.Contains("ThrowIfNull", StringComparison.Ordinal)).ToArray();
}
