using Spectre.Console.Testing;

namespace Flows.Console.Tests;

/// <summary>The live display on an interactive test console: frames while the run goes, failures above it, the table at the end.</summary>
public sealed class LiveDisplayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Frames_show_a_maps_bar_and_counts_while_its_elements_run()
    {
        // Elements 3 and 4 wait until the test has seen a frame with them running.
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var captured = Captured.Live(console =>
        {
            var output = console.Output;
            if (output.Contains("HeldFlows.Held running", StringComparison.Ordinal) && output.Contains("2/4 2 running", StringComparison.Ordinal))
            {
                seen.TrySetResult(output);
            }
        });
        using var threads = new ThreadExecutor(numWorkers: 4);

        var running = HeldFlows.HeldFlow.RunAsync(threads, [1, 2, 3, 4], options: captured.Options);
        var frame = await seen.Task.WaitAsync(Patience);
        Assert.False(running.IsCompleted, "the run ended before the display showed its held elements");
        HeldFlows.Release.TrySetResult();
        var run = await running.WaitAsync(Patience);

        Assert.Equal(4, run.Result);
        Assert.Contains("Hold", frame, StringComparison.Ordinal);
        Assert.Contains("━", frame, StringComparison.Ordinal);
        var end = captured.Console.Output[frame.Length..];
        Assert.Contains("│ Hold  │ succeeded │        4 │", end, StringComparison.Ordinal);
        Assert.Contains("4: 4 succeeded", end, StringComparison.Ordinal);
        Assert.Contains("HeldFlows.Held succeeded in", end, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_and_retries_are_printed_as_they_happen_and_the_table_has_every_node()
    {
        var captured = Captured.Live();

        var run = await ProgressFlows.ReportFlow.RunAsync(new LocalExecutor(), 8, 0, options: captured.Options).WaitAsync(Patience);

        var output = captured.Console.Output;
        Assert.Equal(FlowState.Failed, run.State);
        Assert.Contains("↻ Square[3] attempt 1 failed: InvalidOperationException: 4 is a multiple of four; retrying in", output, StringComparison.Ordinal);
        Assert.Contains("✗ Square[7] failed after 2 attempts (kept as its outcome): InvalidOperationException: 8 is a multiple of four", output, StringComparison.Ordinal);
        Assert.Contains("↻ Publish attempt 2 failed: IOException: cannot publish 125; retrying in", output, StringComparison.Ordinal);
        Assert.Contains("✗ Publish failed after 3 attempts", output, StringComparison.Ordinal);

        var table = Captured.Normalize(output[output.LastIndexOf('╭')..], run.RunId);
        Assert.Equal(
            [
                "╭────────────────────┬────────────────────────────┬──────────┬──────────┬─────────────────────────────────╮",
                "│ node │ state │ attempts │ duration │ task runs │",
                "├────────────────────┼────────────────────────────┼──────────┼──────────┼─────────────────────────────────┤",
                "│ Numbers │ succeeded │ 1 │ T │ │",
                "│ Square │ succeeded │ 10 │ T │ 8: 6 succeeded, 2 failed (kept) │",
                "│ IsStrict │ succeeded │ 1 │ T │ │",
                "│ Validate │ skipped (branch not taken) │ 0 │ │ │",
                "│ Summarize │ succeeded │ │ T │ │",
                "│ Summarize/Total │ succeeded │ 1 │ T │ │",
                "│ Summarize/Offset │ succeeded │ 1 │ T │ │",
                "│ Publish │ failed │ 3 │ T │ │",
                "╰────────────────────┴────────────────────────────┴──────────┴──────────┴─────────────────────────────────╯",
                "ProgressFlows.Report failed in T: 14 task runs, 10 succeeded, 3 failed, 1 skipped (run RUN)",
            ],
            table);
    }

    [Fact]
    public async Task Without_the_table_the_last_frame_stays_and_says_how_the_run_ended()
    {
        var captured = Captured.Live(table: false);

        var run = await ProgressFlows.ReportFlow.RunAsync(new LocalExecutor(), 8, 0, options: captured.Options).WaitAsync(Patience);

        var output = captured.Console.Output;
        var lastFrame = LastFrame(output, "ProgressFlows.Report failed in");
        Assert.DoesNotContain("╭", output, StringComparison.Ordinal);
        Assert.Contains("Validate", lastFrame, StringComparison.Ordinal);
        Assert.Contains("branch not taken", lastFrame, StringComparison.Ordinal);
        Assert.Contains("8/8 2 failed (kept)", lastFrame, StringComparison.Ordinal);
        Assert.Contains("  Total", lastFrame, StringComparison.Ordinal); // the subflow's task, indented under it
        Assert.EndsWith($"(run {run.RunId})", output.TrimEnd().ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_line_limit_nodes_that_ended_well_fold_into_one_line()
    {
        var frames = new List<string>();
        var captured = Captured.Live(console => frames.Add(console.Output), table: false, maxNodeLines: 3);

        var run = await ProgressFlows.ReportFlow.RunAsync(new LocalExecutor(), 8, 0, options: captured.Options).WaitAsync(Patience);

        var output = captured.Console.Output;
        var lastFrame = LastFrame(output, "ProgressFlows.Report failed in");
        Assert.Contains("Publish", lastFrame, StringComparison.Ordinal); // failed: always shown
        Assert.Contains("... and 6 more nodes: 5 succeeded, 1 skipped", lastFrame, StringComparison.Ordinal);
        Assert.NotEmpty(frames);
    }

    /// <summary>The last frame: from the last header before the run's closing line (which starts with the same words).</summary>
    private static string LastFrame(string output, string header)
    {
        var footer = output.LastIndexOf(header, StringComparison.Ordinal);
        var start = output.LastIndexOf(header, footer - 1, StringComparison.Ordinal);
        Assert.True(start >= 0, "no frame says how the run ended:\n" + output);
        return output[start..footer];
    }

    [Fact]
    public void A_console_that_is_not_interactive_gets_plain_lines_in_auto_mode()
    {
        var console = new TestConsole();
        console.Profile.Capabilities.Interactive = false;

        Assert.Equal(FlowProgressMode.Plain, new FlowProgress(console).Mode);
    }
}
