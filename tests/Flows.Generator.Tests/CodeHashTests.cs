using System.Text.RegularExpressions;
using Flows.Generator.Model;

namespace Flows.Generator.Tests;

/// <summary>
/// A task's code hash changes with its code and with the shape of the types it passes, not with its
/// comments or layout; a graph's hash changes with the flow body and is the same on every run.
/// </summary>
public sealed partial class CodeHashTests
{
    private const string PriceId = "Shop.Steps.Price";

    [Fact]
    public void A_comment_or_whitespace_edit_of_a_task_keeps_its_code_hash()
    {
        var edited = DurableRunGenerationTests.Source
            .Replace("// The price of a line.", "// The price of one line, tax excluded.")
            .Replace("return line.Quantity * 3 + extra;", "return   line.Quantity\n            * 3 /* three */ + extra;");

        Assert.Equal(TaskHash(DurableRunGenerationTests.Source, PriceId), TaskHash(edited, PriceId));
    }

    [Fact]
    public void A_body_edit_of_a_task_changes_its_code_hash_and_no_other()
    {
        var edited = DurableRunGenerationTests.Source.Replace("line.Quantity * 3 + extra", "line.Quantity * 4 + extra");

        Assert.NotEqual(TaskHash(DurableRunGenerationTests.Source, PriceId), TaskHash(edited, PriceId));
        Assert.Equal(TaskHash(DurableRunGenerationTests.Source, "Shop.Steps.Stamp"), TaskHash(edited, "Shop.Steps.Stamp"));
    }

    [Fact]
    public void A_field_added_to_a_type_the_task_takes_changes_its_code_hash()
    {
        var edited = DurableRunGenerationTests.Source.Replace("record Line(string Sku, int Quantity)", "record Line(string Sku, int Quantity, string Note)");

        Assert.NotEqual(TaskHash(DurableRunGenerationTests.Source, PriceId), TaskHash(edited, PriceId));
    }

    [Fact]
    public void Changing_a_tasks_attribute_keeps_its_code_hash()
    {
        var edited = DurableRunGenerationTests.Source.Replace("[Task(Checkpoint = false)]", "[Task(Checkpoint = false, Retries = 2)]");

        Assert.Equal(TaskHash(DurableRunGenerationTests.Source, "Shop.Steps.Stamp"), TaskHash(edited, "Shop.Steps.Stamp"));
    }

    [Fact]
    public void A_flow_body_edit_changes_its_graph_hash_and_not_the_other_flows()
    {
        var edited = DurableRunGenerationTests.Source.Replace("var stamped = Steps.Stamp(price);", "var stamped = Steps.Stamp(extra);");

        var before = GraphHashes(DurableRunGenerationTests.Source);
        var after = GraphHashes(edited);

        Assert.NotEqual(before["Run"], after["Run"]);
        Assert.Equal(before["None"], after["None"]);
        Assert.Equal(before["Quiet"], after["Quiet"]);
    }

    [Fact]
    public void A_comment_in_a_flow_body_keeps_its_graph_hash()
    {
        var edited = DurableRunGenerationTests.Source.Replace("var stamped = Steps.Stamp(price);", "// then stamp it\n var stamped = Steps.Stamp(price);");

        Assert.Equal(GraphHashes(DurableRunGenerationTests.Source)["Run"], GraphHashes(edited)["Run"]);
    }

    [Fact]
    public void Graph_and_code_hashes_are_the_same_on_every_generator_run()
    {
        Assert.Equal(GraphHashes(DurableRunGenerationTests.Source), GraphHashes(DurableRunGenerationTests.Source));
        Assert.Equal(TaskHash(DurableRunGenerationTests.Source, PriceId), TaskHash(DurableRunGenerationTests.Source, PriceId));
    }

    [Fact]
    public void A_task_from_a_referenced_assembly_has_no_code_hash_since_its_code_is_not_in_the_compilation()
    {
        var library = GeneratorHarness.Compilation("""
            namespace Lib
            {
                public static class Steps
                {
                    [Flows.Task] public static int Length(string text) => text.Length;
                }
            }
            """).WithAssemblyName("Lib");
        using var stream = new MemoryStream();
        Assert.True(library.Emit(stream).Success);
        var compilation = GeneratorHarness.Compilation("""
            public static partial class Caller
            {
                [Flows.Flow] public static int Run(string text) => Lib.Steps.Length(text);
            }
            """).AddReferences(Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(stream.ToArray()));

        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var task = driver.GetRunResult().Results.Single().TrackedSteps[FlowGeneratorSteps.FlowModels]
            .SelectMany(s => s.Outputs).Select(o => o.Value).OfType<FlowModel>().Single().Tasks.Single();

        Assert.Equal("Lib.Steps.Length", task.Id);
        Assert.Null(task.CodeHash);
    }

    private static string TaskHash(string source, string taskId)
    {
        var driver = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(source));
        var hash = driver.GetRunResult().Results.Single().TrackedSteps[FlowGeneratorSteps.FlowModels]
            .SelectMany(s => s.Outputs).Select(o => o.Value).OfType<FlowModel>()
            .SelectMany(f => f.Tasks).First(t => t.Id == taskId).CodeHash;
        Assert.NotNull(hash);
        Assert.Matches("^[0-9a-f]{32}$", hash);
        return hash;
    }

    /// <summary>Each flow's graph hash, by flow method name, as written in its generated file.</summary>
    private static Dictionary<string, string> GraphHashes(string source) =>
        GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(source).Result)
            .Where(f => f.Key.EndsWith(".Flow.g.cs", StringComparison.Ordinal))
            .ToDictionary(f => f.Key.Split('.')[2], f => HashLine().Match(f.Value).Groups[1].Value);

    [GeneratedRegex("Hash = \"([0-9a-f]{32})\",")]
    private static partial Regex HashLine();
}
