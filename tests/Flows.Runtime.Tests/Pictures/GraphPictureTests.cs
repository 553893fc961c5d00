using Flows.Graph;

namespace Flows.Runtime.Tests.Pictures;

/// <summary>
/// Mermaid and DOT pictures of hand-built graphs, as the generator builds them: what is drawn,
/// what is folded away, the clusters, the edge styles, the escaping, and the same text every time.
/// </summary>
public sealed class GraphPictureTests
{
    private static readonly TaskDescriptor Inc = Tasks.Inc;
    private static readonly TaskDescriptor Add = Tasks.Add;

    /// <summary>
    /// <c>var a = Inc(x); int v; if (ok) v = Add(a, x); else v = Inc(a); var b = Inc(v); Log(x);</c>
    /// where Log waits for b (statement order) and runs the Inc task under another name.
    /// </summary>
    private static FlowGraph IfElse() => new(
        "Tests.IfElse",
        new[] { "x", "ok" },
        Array.Empty<object?>(),
        new[]
        {
            FlowNode.ForTask("Inc", Inc, 0),
            FlowNode.ForTask("Add", Add, 2, 0).InBranch(0),
            FlowNode.ForTask("Inc#2", Inc, 2).InBranch(1),
            FlowNode.ForMerge("<v>", new[] { 0, 1 }, new[] { 3, 4 }),
            FlowNode.ForTask("Inc#3", Inc, 5),
            FlowNode.ForTask("Log", Inc, 0).After(FlowEdgeKind.Completed, 4),
        },
        6,
        new[] { FlowBranch.When(-1, 1, true), FlowBranch.When(-1, 1, false) });

    /// <summary>
    /// <c>int v; try { v = Risky(x); } catch (IOException) { v = Fallback(x); } finally { Cleanup(x); } return Use(v);</c>
    /// with the try end, the finally's entry, the statement's end and the merge the parser makes.
    /// </summary>
    private static FlowGraph TryCatchFinally() => new(
        "Tests.TryCatchFinally",
        new[] { "x" },
        Array.Empty<object?>(),
        new[]
        {
            FlowNode.ForTask("Risky", Inc, 0).CaughtBy(1),
            FlowNode.ForTryEnd("<try>", "System.IO.IOException").After(FlowEdgeKind.Settled, 0),
            FlowNode.ForTask("Fallback", Inc, 0).InBranch(0),
            FlowNode.ForJoin("<finally>").After(FlowEdgeKind.Ran, 1).After(FlowEdgeKind.Settled, 2),
            FlowNode.ForTask("Cleanup", Inc, 0).After(FlowEdgeKind.Completed, 3),
            FlowNode.ForJoin("<end>").After(FlowEdgeKind.Completed, 1, 2, 4),
            FlowNode.ForMerge("<v>", new[] { 1, 0 }, new[] { 1, 3 }),
            FlowNode.ForTask("Use", Inc, 7).After(FlowEdgeKind.Completed, 5),
        },
        8,
        new[] { FlowBranch.Caught(-1, 2, 0), FlowBranch.NothingCaught(-1, 2) });

    /// <summary>A map, a subflow that reads its result, and a switch on a parameter around a task.</summary>
    private static FlowGraph MapSubflowSwitch()
    {
        var child = new FlowGraph("Tests.Child", new[] { "values" }, Array.Empty<object?>(), new[] { FlowNode.ForTask("Total", Tasks.Sync("Total", (_, _) => 0), 0) }, 1);
        return new FlowGraph(
            "Tests.Parent",
            new[] { "xs", "mode" },
            Array.Empty<object?>(),
            new[]
            {
                FlowNode.ForMap("Inc", Inc, MapAdapter<int, int>.Instance, 0),
                FlowNode.ForSubflow("Child", child, 2),
                FlowNode.ForTask("Inc#2", Inc, 3).InBranch(0),
                FlowNode.ForTask("Inc#3", Inc, 3).InBranch(1),
            },
            -1,
            new[] { FlowBranch.When(-1, 1, "fast", "quick"), FlowBranch.WhenNone(-1, 1, "fast", "quick") });
    }

    [Fact]
    public void An_if_else_draws_a_box_per_branch_folds_the_merge_and_dashes_the_order_edge()
    {
        Assert.Equal(
            """
            flowchart TD
              n0["Inc"]
              subgraph cb0 ["if ok"]
                n1["Add"]
              end
              subgraph cb1 ["if not ok"]
                n2["Inc#35;2"]
              end
              n4["Inc#35;3"]
              n5["Log (Inc)"]
              n0 --> n1
              n0 --> n2
              n1 --> n4
              n2 --> n4
              n4 -.-> n5

            """.ReplaceLineEndings("\n"),
            IfElse().ToMermaid());
    }

    [Fact]
    public void A_try_catch_finally_draws_a_box_per_block_and_the_catch_runs_if_the_try_failed()
    {
        Assert.Equal(
            """
            flowchart TD
              subgraph ct1 ["try"]
                n0["Risky (Inc)"]
              end
              subgraph cb0 ["catch IOException"]
                n2["Fallback (Inc)"]
              end
              subgraph cf1 ["finally"]
                n4["Cleanup (Inc)"]
              end
              n7["Use (Inc)"]
              n0 -.-o n2
              n2 -.-> n4
              n0 --> n7
              n2 --> n7
              n4 -.-> n7

            """.ReplaceLineEndings("\n"),
            TryCatchFinally().ToMermaid());
    }

    [Fact]
    public void A_map_is_a_distinct_shape_and_a_subflow_is_a_subgraph_holding_its_own_tasks()
    {
        Assert.Equal(
            """
            flowchart TD
              n0[["Inc ×N"]]
              subgraph cs1 ["subflow Child"]
                n1_0["Total"]
              end
              subgraph cb0 ["switch mode: case #quot;fast#quot;, #quot;quick#quot;"]
                n2["Inc#35;2"]
              end
              subgraph cb1 ["switch mode: default"]
                n3["Inc#35;3"]
              end
              n0 --> n1_0
              n1_0 --> n2
              n1_0 --> n3

            """.ReplaceLineEndings("\n"),
            MapSubflowSwitch().ToMermaid());
    }

    [Fact]
    public void The_dot_text_has_a_cluster_per_block_a_box3d_per_map_and_styled_order_and_condition_edges()
    {
        Assert.Equal(
            """
            digraph "Tests.TryCatchFinally" {
              rankdir=TB;
              node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#546e7a", fontname="Helvetica", fontsize=11];
              edge [color="#546e7a", arrowsize=0.7];
              subgraph "cluster_ct1" {
                label="try"; style="rounded,dashed"; color="#90a4ae"; fontname="Helvetica"; fontsize=10;
                n0 [label="Risky (Inc)"];
              }
              subgraph "cluster_cb0" {
                label="catch IOException"; style="rounded,dashed"; color="#90a4ae"; fontname="Helvetica"; fontsize=10;
                n2 [label="Fallback (Inc)"];
              }
              subgraph "cluster_cf1" {
                label="finally"; style="rounded,dashed"; color="#90a4ae"; fontname="Helvetica"; fontsize=10;
                n4 [label="Cleanup (Inc)"];
              }
              n7 [label="Use (Inc)"];
              n0 -> n2 [style=dotted, arrowhead=odot];
              n2 -> n4 [style=dashed];
              n0 -> n7;
              n2 -> n7;
              n4 -> n7 [style=dashed];
            }

            """.ReplaceLineEndings("\n"),
            TryCatchFinally().ToDot());
        Assert.Contains("n0 [label=\"Inc ×N\", shape=box3d];", MapSubflowSwitch().ToDot());
    }

    [Fact]
    public void The_same_graph_gives_the_same_text_every_time()
    {
        Assert.Equal(MapSubflowSwitch().ToMermaid(), MapSubflowSwitch().ToMermaid());
        Assert.Equal(MapSubflowSwitch().ToDot(), MapSubflowSwitch().ToDot());
        Assert.Equal(IfElse().ToDot(), IfElse().ToDot());
    }

    [Fact]
    public void Labels_are_escaped_and_ids_stay_plain()
    {
        const string hostile = "Say \"hi\" <b>&amp; [x] {y} `z` #1 é✓\\N";
        var graph = new FlowGraph(hostile, new[] { "x" }, Array.Empty<object?>(), new[] { FlowNode.ForTask(hostile, Inc, 0) }, 1);

        var mermaid = graph.ToMermaid();
        var dot = graph.ToDot();

        Assert.Contains("  n0[\"Say #quot;hi#quot; #lt;b#gt;#amp;amp; [x] {y} #96;z#96; #35;1 é✓\\N (Inc)\"]\n", mermaid);
        Assert.DoesNotContain("<b>", mermaid);
        Assert.Contains("digraph \"Say \\\"hi\\\" <b>&amp; [x] {y} `z` #1 é✓\\\\N\" {", dot);
        Assert.Contains("  n0 [label=\"Say \\\"hi\\\" <b>&amp; [x] {y} `z` #1 é✓\\\\N (Inc)\"];", dot);
    }

    [Fact]
    public void A_graph_with_no_tasks_draws_an_empty_chart()
    {
        var graph = new FlowGraph("Tests.Empty", new[] { "x" }, Array.Empty<object?>(), Array.Empty<FlowNode>(), 0);

        Assert.Equal("flowchart TD\n", graph.ToMermaid());
        Assert.EndsWith("edge [color=\"#546e7a\", arrowsize=0.7];\n}\n", graph.ToDot());
    }
}
