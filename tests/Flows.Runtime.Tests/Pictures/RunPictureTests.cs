using Flows.Graph;
using Flows.Pictures;

namespace Flows.Runtime.Tests.Pictures;

/// <summary>How a run's records colour a picture, and how the report's text is made safe.</summary>
public sealed class RunPictureTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static TaskRun Record(string name, TaskState state, string? skipReason = null) =>
        new(name, "Tests." + name, state, state == TaskState.Skipped ? 0 : 1, state == TaskState.Skipped ? null : Start, TimeSpan.FromMilliseconds(5), null) { SkipReason = skipReason };

    private static FlowGraph MapThenSubflow()
    {
        var child = new FlowGraph("Tests.Child", new[] { "x" }, Array.Empty<object?>(), new[] { FlowNode.ForTask("Inc", Tasks.Inc, 0), FlowNode.ForTask("Inc#2", Tasks.Inc, 1) }, 2);
        return new FlowGraph(
            "Tests.Parent",
            new[] { "xs", "x" },
            Array.Empty<object?>(),
            new[] { FlowNode.ForMap("Inc", Tasks.Inc, MapAdapter<int, int>.Instance, 0), FlowNode.ForSubflow("Child", child, 1), FlowNode.ForTask("Add", Tasks.Add, 1, 1).InBranch(0) },
            -1,
            new[] { FlowBranch.When(-1, 1, 7) });
    }

    [Fact]
    public void A_map_counts_its_elements_by_state_and_is_coloured_by_the_worst()
    {
        var records = new[] { Record("Inc[0]", TaskState.Succeeded), Record("Inc[1]", TaskState.Failed), Record("Inc[2]", TaskState.Succeeded), Record("Child", TaskState.Skipped, TaskRun.UpstreamDidNotSucceed), Record("Add", TaskState.Skipped, TaskRun.BranchNotTaken) };

        var run = RunPicture.Of(MapThenSubflow().Picture, records);

        Assert.Equal(PaintState.Failed, run.Statuses[0].State);
        Assert.Equal("2 succeeded, 1 failed of 3", run.Statuses[0].Summary);
        Assert.Equal(1, Assert.Single(run.Statuses[0].Failures).Element);
        Assert.Equal("Inc ×3", PictureText.Title(run.Picture.Nodes[0], run.Statuses[0]));
    }

    [Fact]
    public void The_tasks_of_a_subflow_that_never_started_take_its_state_and_a_branch_not_taken_is_its_own()
    {
        var records = new[] { Record("Inc[0]", TaskState.Failed), Record("Child", TaskState.Skipped, TaskRun.UpstreamDidNotSucceed), Record("Add", TaskState.Skipped, TaskRun.BranchNotTaken) };

        var run = RunPicture.Of(MapThenSubflow().Picture, records);

        Assert.Equal(new[] { "Inc", "Child/Inc", "Child/Inc#2", "Add" }, run.Picture.Nodes.Select(n => n.RunName));
        Assert.Equal(new[] { PaintState.Failed, PaintState.Skipped, PaintState.Skipped, PaintState.NotTaken }, run.Statuses.Select(s => s.State));
        Assert.Equal("not taken", run.Statuses[3].Summary);
    }

    [Fact]
    public void Restored_and_cached_results_have_colours_of_their_own()
    {
        var records = new[] { Record("Inc[0]", TaskState.Cached), Record("Child/Inc", TaskState.Succeeded) with { Restored = true }, Record("Child/Inc#2", TaskState.Succeeded), Record("Add", TaskState.Succeeded) };

        var run = RunPicture.Of(MapThenSubflow().Picture, records);

        Assert.Equal(new[] { PaintState.Cached, PaintState.Restored, PaintState.Succeeded, PaintState.Succeeded }, run.Statuses.Select(s => s.State));
        Assert.Equal("1 cached of 1", run.Statuses[0].Summary);
    }

    [Theory]
    [InlineData("a < b & \"c\" 'd'", "a &lt; b &amp; &quot;c&quot; &#39;d&#39;")]
    [InlineData("bell\u0007 and nul\0", "bell  and nul ")]
    public void Report_text_is_escaped_into_valid_xml(string text, string escaped)
    {
        Assert.Equal(escaped, HtmlText.Escape(text));
    }

    [Fact]
    public void A_lone_surrogate_becomes_a_replacement_character_and_a_pair_stays()
    {
        // Built here rather than in InlineData, whose serialization would change the lone half.
        var text = "lone " + '\ud800' + " surrogate, pair \ud83d\ude00";

        Assert.Equal("lone \ufffd surrogate, pair \ud83d\ude00", HtmlText.Escape(text));
    }
}
