using System.Collections;
using Flows.Graph;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// Behaviour the held rig showed to be wrong, and fixed: a late outcome after a cancellation used to
/// change the finished run's record (TaskAttempt.Settle wrote its end time); a run cancelled while a
/// map read its collection used to report every element Pending (CancelAll ran before the MapRun existed).
/// </summary>
public sealed class SchedulerFindingsTests
{
    [Fact]
    public async Task A_late_result_after_a_cancellation_leaves_the_finished_record_unchanged()
    {
        var executor = new HeldExecutor();
        var g = new TestGraph("late-after-cancel");
        var a = g.Task(HeldTasks.Named("a"));
        using var cts = new CancellationTokenSource();
        var run = executor.Start(g.Build(a), cancellationToken: cts.Token);
        var attempt = (await executor.Dispatcher.NextAsync("a")).Start();
        cts.Cancel();
        var ended = await run.EndAsync();
        var before = ended.Tasks[0];

        attempt.Succeed(1);

        Assert.Equal(before, ended.Tasks[0]);
    }

    [Fact]
    public async Task Cancelling_while_a_map_materializes_leaves_no_element_pending()
    {
        var executor = new HeldExecutor();
        using var cts = new CancellationTokenSource();
        var g = new TestGraph("cancel-in-materialize", "xs");
        var m = g.Map(HeldTasks.Named("Each"), MapAdapter<int, int>.Instance, g.P(0));

        // The collection cancels the run while the map reads it: the same interleaving as a
        // cancellation from another thread during the Materialize of a large collection.
        var run = executor.Start(g.Build(m), new object?[] { new CancelsWhenRead(cts, 1, 2) }, cts.Token);

        var ended = await run.EndAsync();
        Assert.Equal(FlowState.Cancelled, ended.State);
        executor.Dispatcher.AssertNothingSubmitted();
        Assert.All(ended.Tasks, t => Assert.Equal(TaskState.Cancelled, t.State));
    }

    private sealed class CancelsWhenRead(CancellationTokenSource cts, params int[] items) : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator()
        {
            cts.Cancel();
            return ((IEnumerable<int>)items).GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
