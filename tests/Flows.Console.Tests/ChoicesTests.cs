using Flows.Console.Display;
using Spectre.Console.Testing;

namespace Flows.Console.Tests;

/// <summary>Where the display chooses: live or plain, bad options, one run at a time, runs one after another.</summary>
public sealed class ChoicesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true, null, null, true)]
    [InlineData(false, null, null, false)]
    [InlineData(true, "dumb", null, false)]
    [InlineData(true, "xterm-256color", "true", false)]
    [InlineData(true, "xterm-256color", "false", true)]
    public void Auto_is_live_only_in_an_interactive_terminal_outside_CI_and_not_dumb(bool interactive, string? term, string? ci, bool live)
    {
        var console = new TestConsole();
        console.Profile.Capabilities.Interactive = interactive;
        var environment = new Dictionary<string, string?> { ["TERM"] = term, ["CI"] = ci };

        Assert.Equal(live, TerminalDetection.IsLiveTerminal(console, name => environment.GetValueOrDefault(name)));
    }

    [Fact]
    public void A_console_without_ANSI_gets_plain_lines()
    {
        var console = new TestConsole().Interactive().SupportsAnsi(false);

        Assert.False(TerminalDetection.IsLiveTerminal(console, _ => null));
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_the_option_named()
    {
        var console = new TestConsole();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new FlowProgress(new FlowProgressOptions { Console = console, RefreshInterval = TimeSpan.FromMilliseconds(1) }));
        Assert.Contains("RefreshInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxNodeLines", Assert.Throws<ArgumentOutOfRangeException>(() => new FlowProgress(new FlowProgressOptions { Console = console, MaxNodeLines = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("MaxTableRows", Assert.Throws<ArgumentOutOfRangeException>(() => new FlowProgress(new FlowProgressOptions { Console = console, MaxTableRows = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("MaxFailureMessages", Assert.Throws<ArgumentOutOfRangeException>(() => new FlowProgress(new FlowProgressOptions { Console = console, MaxFailureMessages = -1 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new FlowProgress((Spectre.Console.IAnsiConsole)null!));
    }

    [Theory]
    [InlineData(FlowProgressMode.Plain)]
    [InlineData(FlowProgressMode.Live)]
    public async Task Past_its_row_limit_the_table_keeps_failures_maps_and_subflows_and_counts_the_rest(FlowProgressMode mode)
    {
        var console = new TestConsole().Width(200).Interactive();
        var progress = new FlowProgress(new FlowProgressOptions { Console = console, Mode = mode, MaxTableRows = 3 });

        var run = await ProgressFlows.ReportFlow.RunAsync(new LocalExecutor(), 8, 0, options: new FlowRunOptions { Listeners = [progress] }).WaitAsync(Patience);

        var output = console.Output;
        var table = output[output.LastIndexOf("attempts", StringComparison.Ordinal)..];
        Assert.Contains("... and 5 more nodes: 4 succeeded, 1 skipped", table, StringComparison.Ordinal);
        Assert.Contains("Publish", table, StringComparison.Ordinal);
        Assert.Contains("8: 6 succeeded, 2 failed (kept)", table, StringComparison.Ordinal);
        Assert.Contains("Summarize", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Numbers", table, StringComparison.Ordinal);
        Assert.Contains($"(run {run.RunId})", output.ReplaceLineEndings(string.Empty), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_display_shows_runs_one_after_another()
    {
        var captured = Captured.Plain(table: false);

        var first = await ProgressFlows.DoubledFlow.RunAsync(new LocalExecutor(), 2, options: captured.Options).WaitAsync(Patience);
        var second = await ProgressFlows.DoubledFlow.RunAsync(new LocalExecutor(), 3, options: captured.Options).WaitAsync(Patience);

        var output = captured.Console.Output;
        Assert.Contains($"run {first.RunId} started", output, StringComparison.Ordinal);
        Assert.Contains($"run {second.RunId} started", output, StringComparison.Ordinal);
        Assert.Contains("Double succeeded: 3 task runs, 3 succeeded", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_starts_while_another_is_shown_is_left_out()
    {
        var captured = Captured.Plain(table: false);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var threads = new ThreadExecutor(numWorkers: 2);

        // The first run's event thread, once the display has its start, holds until the second run has ended.
        var firstShown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = FlowListener.Create(e =>
        {
            if (e is FlowStarted { FlowName: "ProgressFlows.Report" })
            {
                firstShown.TrySetResult();
                gate.Task.Wait(Patience);
            }
        });
        var options = new FlowRunOptions { Listeners = [captured.Progress, holder] };
        var first = ProgressFlows.ReportFlow.RunAsync(threads, 2, 0, options: options);
        await firstShown.Task.WaitAsync(Patience);
        var second = await ProgressFlows.DoubledFlow.RunAsync(threads, 2, options: captured.Options).WaitAsync(Patience);
        gate.SetResult();
        await first.WaitAsync(Patience);

        var output = captured.Console.Output;
        Assert.Contains("ProgressFlows.Report failed in", output, StringComparison.Ordinal);
        Assert.DoesNotContain(second.RunId, output, StringComparison.Ordinal);
    }
}
