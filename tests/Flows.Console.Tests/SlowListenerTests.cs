namespace Flows.Console.Tests;

/// <summary>Listeners that fall behind: the run does not wait for them, and the display's table stays exact.</summary>
public sealed class SlowListenerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_listener_blocked_until_every_task_ran_changes_nothing_and_the_table_is_exact()
    {
        const int count = 200;
        var expected = await ToldFlows.DoubledFlow.RunAsync(new LocalExecutor(), count).WaitAsync(Patience);
        ToldFlows.LastTaskRuns.Reset();

        // The first listener holds the event thread from the first element's start until the run's last
        // task runs (every element has ended by then), so that the events pile up past the buffer: they
        // are dropped, and the display is told so.
        var blocker = FlowListener.Create(e =>
        {
            if (e is TaskStarted { Element: 0 } && !ToldFlows.LastTaskRuns.Wait(Patience))
            {
                throw new TimeoutException("the run's last task did not run while a listener was blocked");
            }
        });
        var captured = Captured.Plain();
        using var threads = new ThreadExecutor(numWorkers: 2);
        var options = new FlowRunOptions { Listeners = [blocker, captured.Progress], EventBufferCapacity = 16 };

        var run = await ToldFlows.DoubledFlow.RunAsync(threads, count, options: options).WaitAsync(Patience);

        Assert.Equal(expected.Result, run.Result);
        Assert.Equal(expected.Tasks.Select(t => (t.Name, t.State, t.Attempts)), run.Tasks.Select(t => (t.Name, t.State, t.Attempts)));
        var lines = captured.Lines(run.RunId);
        Assert.Contains(lines, l => l.StartsWith("ToldFlows.Doubled: the display fell behind the run and skipped", StringComparison.Ordinal) && l.EndsWith("counts may be behind; the final table is exact", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ToldFlows.Doubled: ", StringComparison.Ordinal) && l.EndsWith(" events were skipped while the display was behind; the table is exact", StringComparison.Ordinal));
        Assert.Contains("Twice succeeded 200 T 200: 200 succeeded", lines);
        Assert.Equal("ToldFlows.Doubled succeeded in T: 202 task runs, 202 succeeded (run RUN)", lines[^1]);
    }
}
