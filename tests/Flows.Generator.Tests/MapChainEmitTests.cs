using System.Reflection;
using Flows.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// Chained maps: the generator marks a map that reads another map's elements one by one, when nothing
/// else reads that map whole (<c>FlowNode.ReadingElementsOf</c>), and leaves every other map alone.
/// </summary>
public sealed class MapChainEmitTests
{
    public const string Source = """
        using System;
        using System.Linq;
        using Flows;

        namespace Chains
        {
            public static class Steps
            {
                [Task] public static int Parse(string line) => int.Parse(line);
                [Task] public static int Square(int x) => x * x;
                [Task] public static int Scale(int x, int factor) => x * factor;
                [Task] public static string Describe(Outcome<int> parsed) => parsed.Succeeded ? parsed.Value.ToString() : "bad";
                [Task] public static int Sum(int[] xs) => xs.Sum();
                [Task] public static int Both(int[] a, int[] b) => a.Sum() + b.Sum();
                [Task] public static void Note(string text) { }
            }

            public static partial class Flows
            {
                [Flow]
                public static int[] Nested(string[] lines, int factor) =>
                    Flow.Map(Steps.Scale, Flow.Map(Steps.Square, Flow.Map(Steps.Parse, lines)), factor);

                [Flow]
                public static int Locals(string[] lines)
                {
                    var parsed = Flow.Map(Steps.Parse, lines);
                    var squared = Flow.Map(Steps.Square, parsed);
                    return Steps.Sum(squared);
                }

                [Flow]
                public static string[] Tolerant(string[] lines)
                {
                    var parsed = Flow.TryMap(Steps.Parse, lines);
                    return Flow.Map(Steps.Describe, parsed);
                }

                [Flow]
                public static int ReadWhole(string[] lines)
                {
                    var parsed = Flow.Map(Steps.Parse, lines);
                    var squared = Flow.Map(Steps.Square, parsed);
                    return Steps.Both(parsed, squared);
                }

                [Flow]
                public static int[] Returned(string[] lines)
                {
                    var parsed = Flow.Map(Steps.Parse, lines);
                    Steps.Sum(Flow.Map(Steps.Square, parsed));
                    return parsed;
                }

                [Flow]
                public static int UsedTwice(string[] lines)
                {
                    var parsed = Flow.Map(Steps.Parse, lines);
                    var squared = Flow.Map(Steps.Square, parsed);
                    var scaled = Flow.Map(Steps.Scale, parsed, 3);
                    return Steps.Both(squared, scaled);
                }

                [Flow]
                public static int[] PassedWhole(string[] lines)
                {
                    var parsed = Flow.Map(Steps.Parse, lines);
                    var sum = Steps.Sum(parsed);
                    return Flow.Map(Steps.Scale, parsed, sum);
                }

                [Flow]
                public static int SideEffectBetween(string[] lines)
                {
                    var parsed = Flow.Map(Steps.Parse, lines);
                    Steps.Note("parsed");
                    var squared = Flow.Map(Steps.Square, parsed);
                    return Steps.Sum(squared);
                }
            }
        }
        """;

    [Fact]
    public void Generated_code_compiles_with_no_diagnostics_at_all()
    {
        var (output, result) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        Assert.Contains("Chains.Flows.Nested.Flow.g.cs", GeneratorHarness.GeneratedFiles(result).Keys);
    }

    [Fact]
    public void A_nested_chain_of_three_maps_marks_each_stage_after_the_head_with_the_stage_before_it()
    {
        var nodes = GraphOf("Nested").Nodes;

        Assert.Equal(new[] { "Parse", "Square", "Scale" }, nodes.Select(n => n.Name));
        Assert.Equal(new[] { -1, 0, 1 }, nodes.Select(n => n.ChainedFrom));
        Assert.Contains(".ReadingElementsOf(1)", File("Nested"), StringComparison.Ordinal);
    }

    [Fact]
    public void Maps_bound_to_locals_are_chained_as_the_nested_form_is()
    {
        var nodes = GraphOf("Locals").Nodes;

        Assert.Equal(new[] { -1, 0, -1 }, nodes.Select(n => n.ChainedFrom));
    }

    [Fact]
    public void A_TryMap_stage_is_chained_and_hands_on_its_outcomes()
    {
        var nodes = GraphOf("Tolerant").Nodes;

        Assert.True(nodes[0].KeepsElementFailures);
        Assert.Equal(new[] { -1, 0 }, nodes.Select(n => n.ChainedFrom));
    }

    [Theory]
    [InlineData("ReadWhole")]
    [InlineData("Returned")]
    [InlineData("UsedTwice")]
    [InlineData("PassedWhole")]
    [InlineData("SideEffectBetween")]
    public void A_map_read_whole_elsewhere_or_a_side_effect_between_the_maps_keeps_them_breadth_first(string flow)
    {
        var graph = GraphOf(flow);

        Assert.All(graph.Nodes, n => Assert.Equal(-1, n.ChainedFrom));
        Assert.DoesNotContain("ReadingElementsOf", File(flow), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chained_graph_gives_what_the_eager_body_gives()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        using var executor = new ThreadExecutor(numWorkers: 2);
        string[] lines = ["1", "2", "3", "4", "5"];

        var method = assembly.Type("Chains.Flows+NestedFlow").GetMethod("RunAsync")!;
        var task = (Task)method.Invoke(null, [executor, lines, 10, CancellationToken.None, null])!;
        await task.WaitAsync(TimeSpan.FromSeconds(30));
        var run = (FlowRun)task.GetType().GetProperty("Result")!.GetValue(task)!;

        Assert.Equal(FlowState.Succeeded, run.State);
        var eager = (int[])assembly.Type("Chains.Flows").GetMethod("Nested")!.Invoke(null, [lines, 10])!;
        Assert.Equal(eager, (int[])run.GetType().GetProperty("Result")!.GetValue(run)!);
        Assert.Equal(new[] { 10, 40, 90, 160, 250 }, eager);
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_the_chained_models_cached_and_the_models_hold_no_symbols()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var models = driver.GetRunResult().Results.Single().TrackedSteps[FlowGeneratorSteps.FlowModels].SelectMany(s => s.Outputs).ToList();
        var visited = 0;
        foreach (var (value, _) in models)
        {
            ModelWalker.AssertSymbolFree(value, "model", ref visited);
        }

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public sealed class Unrelated { public int Value => 3; }", GeneratorHarness.ParseOptions)));

        var result = driver.GetRunResult().Results.Single();
        foreach (var name in new[] { FlowGeneratorSteps.FlowModels, FlowGeneratorSteps.EmittedFlows, FlowGeneratorSteps.FlowFiles })
        {
            Assert.All(result.TrackedSteps[name].SelectMany(s => s.Outputs), o =>
                Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name} was {o.Reason}."));
        }

        Assert.Contains(models, o => o.Value is Model.FlowModel { MethodName: "Nested" } m && m.Nodes.Any(n => n.ChainedFrom >= 0));
    }

    private static FlowGraph GraphOf(string flow)
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        return (FlowGraph)assembly.StaticProperty($"Chains.Flows+{flow}Flow", "Graph")!;
    }

    private static string File(string flow) =>
        GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(Source).Result)[$"Chains.Flows.{flow}.Flow.g.cs"];
}
