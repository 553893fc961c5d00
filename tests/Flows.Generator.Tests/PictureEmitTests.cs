using System.Reflection;
using Flows.Graph;

namespace Flows.Generator.Tests;

/// <summary>The generated <c>ToMermaid</c> and <c>ToDot</c>: next to <c>RunAsync</c>, compiled, and drawing the flow's own graph.</summary>
public sealed class PictureEmitTests
{
    [Fact]
    public void Every_flow_class_gets_ToMermaid_and_ToDot_next_to_RunAsync()
    {
        var (_, result) = GeneratorHarness.Run(SampleFlows.All);

        foreach (var (name, text) in GeneratorHarness.GeneratedFiles(result).Where(f => f.Key.EndsWith(".Flow.g.cs", StringComparison.Ordinal)))
        {
            var mermaid = text.IndexOf("public static string ToMermaid() => s_graph.ToMermaid();", StringComparison.Ordinal);
            var dot = text.IndexOf("public static string ToDot() => s_graph.ToDot();", StringComparison.Ordinal);
            var run = text.IndexOf(" RunAsync(", StringComparison.Ordinal);
            Assert.True(mermaid > 0 && dot > mermaid && run > dot, $"{name} lacks ToMermaid/ToDot before RunAsync");
        }
    }

    [Fact]
    public void The_compiled_methods_draw_the_flow_s_graph_and_a_subflow_inside_it()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(SampleFlows.All).Output);

        var type = assembly.Type("Etl.Pipeline+EverythingFlow");
        var graph = (FlowGraph)type.GetProperty("Graph", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var mermaid = (string)type.GetMethod("ToMermaid", Type.EmptyTypes)!.Invoke(null, null)!;
        var dot = (string)type.GetMethod("ToDot", Type.EmptyTypes)!.Invoke(null, null)!;

        Assert.Equal(graph.ToMermaid(), mermaid);
        Assert.Equal(graph.ToDot(), dot);
        Assert.StartsWith("flowchart TD\n", mermaid);
        Assert.Contains("subgraph cs0 [\"subflow Report\"]\n    n0_0[\"Download\"]\n", mermaid);
        Assert.StartsWith("digraph \"Pipeline.Everything\" {\n", dot);
    }

    [Fact]
    public void A_branching_flow_s_picture_has_its_try_catch_finally_and_switch_boxes()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(SampleFlows.All).Output);

        var mermaid = (string)assembly.Type("Etl.Pipeline+BranchingFlow").GetMethod("ToMermaid", Type.EmptyTypes)!.Invoke(null, null)!;

        Assert.Contains("[\"try\"]", mermaid);
        Assert.Contains("[\"catch IOException\"]", mermaid);
        Assert.Contains("[\"finally\"]", mermaid);
        Assert.Contains("[\"switch mode: case Fast\"]", mermaid);
        Assert.Contains(" -.-> ", mermaid);
    }
}
