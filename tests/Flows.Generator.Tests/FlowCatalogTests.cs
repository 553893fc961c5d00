using Flows.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// The assembly's flow catalog (<c>Flows.FlowCatalog.g.cs</c>): it compiles, lists every flow code outside its
/// type can reach with its signature, leaves private ones out, and runs a flow from boxed arguments.
/// </summary>
public sealed class FlowCatalogTests
{
    private const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Shop
        {
            public enum Speed { Slow, Fast }

            public static class Steps
            {
                [Task]
                public static int Double(int value) => value * 2;

                [Task]
                public static async Task<string> Label(string? prefix, int value, CancellationToken ct)
                {
                    await Task.Yield();
                    return (prefix ?? "none") + ":" + value;
                }

                [Task]
                public static (int Low, int High) Bounds(DateTime when) => (1, 2);

                [Task]
                public static void Note(int value)
                {
                }
            }

            public static partial class Orders
            {
                [Flow]
                public static async Task<string> Price(int quantity, string? prefix, Speed speed, int[] extras, CancellationToken ct)
                {
                    var doubled = Steps.Double(quantity);
                    return await Steps.Label(prefix, doubled, ct);
                }

                [Flow(Name = "notes")]
                internal static void Record(int value) => Steps.Note(value);

                [Flow]
                private static int Hidden(int value) => Steps.Double(value);

                [Flow]
                public static (int Low, int High) Pair(DateTime when) => Steps.Bounds(when);

                private static partial class Inner
                {
                    [Flow]
                    public static int Unreachable(int value) => Steps.Double(value);
                }
            }
        }
        """;

    [Fact]
    public void The_catalog_compiles_with_no_diagnostics()
    {
        var (output, result) = GeneratorHarness.Run(Source);

        Assert.Contains(CatalogFile, GeneratorHarness.GeneratedFiles(result).Keys);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
    }

    [Fact]
    public void The_catalog_lists_the_reachable_flows_sorted_by_id_and_leaves_private_ones_out()
    {
        using var loaded = Load();

        var flows = FlowCatalog.Load(loaded.Assembly);

        Assert.Equal(new[] { "Shop.Orders.Pair", "Shop.Orders.Price", "Shop.Orders.Record" }, flows.Select(f => f.Id));
        Assert.Equal(new[] { "Pair", "Price", "Record" }, flows.Select(f => f.Name));
        Assert.All(flows, f => Assert.Equal(loaded.Type("Shop.Orders"), f.DeclaringType));
        Assert.Equal("notes", flows.Single(f => f.Name == "Record").DisplayName);
    }

    [Fact]
    public void A_catalog_entry_lists_every_parameter_with_its_type_and_flags_the_cancellation_token_as_bound()
    {
        using var loaded = Load();

        var price = FlowCatalog.Load(loaded.Assembly).Single(f => f.Name == "Price");

        Assert.Equal(
            new[] { "int quantity", "string? prefix", "Speed speed", "int[] extras", "CancellationToken ct" },
            price.Parameters.Select(p => p.ToString()));
        Assert.Equal(new[] { typeof(int), typeof(string), loaded.Type("Shop.Speed"), typeof(int[]), typeof(CancellationToken) }, price.Parameters.Select(p => p.Type));
        Assert.Equal(new[] { false, false, false, false, true }, price.Parameters.Select(p => p.IsBound));
        Assert.Equal(new[] { false, true, false, false, false }, price.Parameters.Select(p => p.AllowsNull));
        Assert.Equal(new[] { "quantity", "prefix", "speed", "extras" }, price.Inputs.Select(p => p.Name));
        Assert.Equal(price.Graph.ParameterNames, price.Inputs.Select(p => p.Name));
    }

    [Fact]
    public void A_catalog_entry_names_the_result_type_or_none()
    {
        using var loaded = Load();
        var flows = FlowCatalog.Load(loaded.Assembly);

        var price = flows.Single(f => f.Name == "Price");
        var record = flows.Single(f => f.Name == "Record");
        var pair = flows.Single(f => f.Name == "Pair");

        Assert.Equal((typeof(string), "string"), (price.ResultType, price.ResultTypeName));
        Assert.Equal((null, null), (record.ResultType, record.ResultTypeName));
        Assert.Equal(typeof(ValueTuple<int, int>), pair.ResultType);
        Assert.Equal("(int Low, int High)", pair.ResultTypeName);
    }

    [Fact]
    public async Task A_catalog_entry_runs_its_flow_from_boxed_arguments_and_reads_the_result_back()
    {
        using var loaded = Load();
        var price = FlowCatalog.Load(loaded.Assembly).Single(f => f.Name == "Price");
        var fast = Enum.Parse(loaded.Type("Shop.Speed"), "Fast");

        var run = await price.RunAsync(new LocalExecutor(), new object?[] { 21, "p", fast, new[] { 1 } });

        Assert.True(run.Succeeded);
        Assert.Equal("p:42", price.ResultOf(run));
        Assert.Equal(new[] { "Double", "Label" }, run.Tasks.Select(t => t.Name));
    }

    [Fact]
    public async Task A_catalog_entry_refuses_arguments_of_the_wrong_count_or_type_before_running()
    {
        using var loaded = Load();
        var price = FlowCatalog.Load(loaded.Assembly).Single(f => f.Name == "Price");
        var fast = Enum.Parse(loaded.Type("Shop.Speed"), "Fast");

        var count = await Assert.ThrowsAsync<ArgumentException>(() => price.RunAsync(new LocalExecutor(), new object?[] { 21 }));
        var type = await Assert.ThrowsAsync<ArgumentException>(() => price.RunAsync(new LocalExecutor(), new object?[] { "21", null, fast, new[] { 1 } }));
        var nulls = await Assert.ThrowsAsync<ArgumentException>(() => price.RunAsync(new LocalExecutor(), new object?[] { 21, null, fast, null }));

        Assert.Contains("takes 4 argument(s)", count.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'quantity': a String was given where a int is expected", type.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'extras': null was given where a int[] is expected", nulls.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assembly_without_flows_has_no_catalog_and_loads_an_empty_one()
    {
        var (output, result) = GeneratorHarness.Run("public static class Plain { public static int Value => 1; }");
        using var loaded = new LoadedAssembly(output);

        Assert.DoesNotContain(CatalogFile, GeneratorHarness.GeneratedFiles(result).Keys);
        Assert.Empty(FlowCatalog.Load(loaded.Assembly));
    }

    [Fact]
    public void Editing_a_flow_body_leaves_the_catalog_step_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();

        var edited = compilation.ReplaceSyntaxTree(
            tree,
            CSharpSyntaxTree.ParseText(Source.Replace("Steps.Label(prefix, doubled, ct)", "Steps.Label(\"edited\", doubled, ct)"), GeneratorHarness.ParseOptions, tree.FilePath));
        driver = driver.RunGenerators(edited);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.Contains(IncrementalStepRunReason.Modified, steps[FlowGeneratorSteps.FlowModels].SelectMany(s => s.Outputs).Select(o => o.Reason));
        Assert.All(steps[FlowGeneratorSteps.Catalog].SelectMany(s => s.Outputs), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"The catalog was {o.Reason}."));
    }

    [Fact]
    public void Adding_a_parameter_to_a_flow_changes_the_catalog()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();

        var edited = compilation.ReplaceSyntaxTree(
            tree,
            CSharpSyntaxTree.ParseText(Source.Replace("Record(int value)", "Record(int value, long extra)"), GeneratorHarness.ParseOptions, tree.FilePath));
        driver = driver.RunGenerators(edited);

        var result = driver.GetRunResult();
        Assert.Contains(IncrementalStepRunReason.Modified, result.Results.Single().TrackedSteps[FlowGeneratorSteps.Catalog].SelectMany(s => s.Outputs).Select(o => o.Reason));
        Assert.Contains("\"extra\", typeof(long)", GeneratorHarness.GeneratedFiles(result)[CatalogFile], StringComparison.Ordinal);
    }

    private const string CatalogFile = "Flows.FlowCatalog.g.cs";

    private static LoadedAssembly Load()
    {
        var (output, _) = GeneratorHarness.Run(Source);
        return new LoadedAssembly(output);
    }
}
