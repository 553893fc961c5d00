namespace Flows.EndToEnd.Tests;

/// <summary>
/// Chained maps on every executor: run depth-first in a bounded window, they give what the eager body
/// and the breadth-first run give (result, failure, records), hold a bounded number of elements in
/// flight, hand TryMap outcomes on, stop when cancelled and resume from their checkpoints.
/// </summary>
public sealed class ChainedMapTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-chains-").FullName;

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string NewPath(string name) => Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N"));

    private static string[] Lines(string journal) => File.Exists(journal) ? File.ReadAllLines(journal) : Array.Empty<string>();

    [Fact]
    public void The_generator_marks_every_stage_after_the_head_as_reading_the_one_before_it()
    {
        Assert.Equal(new[] { -1, 0, 1 }, ChainedMaps.BlocksFlow.Graph.Nodes.Select(n => n.ChainedFrom));
        Assert.Equal(new[] { -1, 0, 1 }, ChainedMaps.GatedFlow.Graph.Nodes.Select(n => n.ChainedFrom));
        Assert.Equal(new[] { -1, 0, 1 }, ChainedMaps.WaitsFlow.Graph.Nodes.Select(n => n.ChainedFrom));
        Assert.Equal(new[] { -1, 0 }, ChainedMaps.TolerantFlow.Graph.Nodes.Select(n => n.ChainedFrom));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_three_stage_chain_gives_the_eager_and_the_breadth_first_result_and_keeps_at_most_the_window_in_flight(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var items = Enumerable.Range(0, 24).ToArray();
        const int Size = 16 * 1024;
        const int Window = 3;
        var expected = ChainedMaps.Blocks(items, Size);

        // Element i is in flight from the start of Make[i] until Weigh[i] ends: count them from the events, in order.
        var gate = new object();
        int inFlight = 0, peak = 0;
        var listener = FlowListener.Create(e =>
        {
            lock (gate)
            {
                if (e is TaskStarted { Node: "Make" } started && started.Attempt == 1)
                {
                    peak = Math.Max(peak, ++inFlight);
                }
                else if (e is TaskFinished { Node: "Weigh" })
                {
                    inFlight--;
                }
            }
        });
        var chained = await ChainedMaps.BlocksFlow.RunAsync(lease.Executor, items, Size, options: new FlowRunOptions { MapChainWindow = Window, Listeners = [listener] }).WaitAsync(Patience);
        var breadthFirst = await ChainedMaps.BlocksFlow.RunAsync(lease.Executor, items, Size, options: new FlowRunOptions { MapChainWindow = 0 }).WaitAsync(Patience);
        var byDefault = await ChainedMaps.BlocksFlow.RunAsync(lease.Executor, items, Size).WaitAsync(Patience);

        Assert.Equal(expected, chained.Result);
        Assert.Equal(expected, breadthFirst.Result);
        Assert.Equal(expected, byDefault.Result);
        Assert.Equal(breadthFirst.Tasks.Select(t => (t.Name, t.State)), chained.Tasks.Select(t => (t.Name, t.State)));
        Assert.Equal(3 * items.Length, chained.Tasks.Count);
        Assert.InRange(peak, 1, Window);
        if (executorName == "cluster")
        {
            // The blocks stay on the workers: what crosses the flow process's wire is the items and the sums.
            Assert.True(chained.BytesMoved < breadthFirst.BytesMoved / 2, $"chained moved {chained.BytesMoved} bytes, breadth-first {breadthFirst.BytesMoved}");
        }
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task An_element_that_fails_mid_chain_ends_the_run_as_the_eager_body_and_the_breadth_first_run_do(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var items = new[] { 1, 2, 3, 4, 5 };
        var thrown = Assert.Throws<InvalidOperationException>(() => ChainedMaps.FailsMidway(items, NewPath("eager")));

        var (chainedJournal, breadthJournal) = (NewPath("chained"), NewPath("breadth"));
        var chained = await ChainedMaps.FailsMidwayFlow.RunAsync(lease.Executor, items, chainedJournal, options: new FlowRunOptions { MapChainWindow = 2 }).WaitAsync(Patience);
        var breadthFirst = await ChainedMaps.FailsMidwayFlow.RunAsync(lease.Executor, items, breadthJournal, options: new FlowRunOptions { MapChainWindow = 0 }).WaitAsync(Patience);

        foreach (var run in new[] { chained, breadthFirst })
        {
            Assert.Equal(FlowState.Failed, run.State);
            Assert.Equal("Halve[2]", run.FirstFailure!.Name);
            Assert.Equal(thrown.GetType().FullName, run.FirstFailure.ExceptionType);
            var error = Assert.Throws<FlowFailedException>(run.EnsureSucceeded);
            Assert.Equal("Halve[2]", error.FailedTask!.Name);
            Assert.Contains(thrown.Message, error.Message, StringComparison.Ordinal);
        }

        // Every element of the failing stage ran, as breadth-first; the stage after it ended Skipped, as
        // breadth-first: at most the elements that were under way ran, never the failed one's.
        Assert.Equal(Lines(breadthJournal).Order(), Lines(chainedJournal).Where(l => l.StartsWith("halve", StringComparison.Ordinal)).Order());
        Assert.Equal(new[] { "halve 2", "halve 4", "halve 6", "halve 8", "halve 10" }.Order(), Lines(breadthJournal).Order());
        Assert.Equal(breadthFirst.Tasks.Where(t => !t.Name.StartsWith("Label", StringComparison.Ordinal)).Select(t => (t.Name, t.State)), chained.Tasks.Where(t => !t.Name.StartsWith("Label", StringComparison.Ordinal)).Select(t => (t.Name, t.State)));
        Assert.Equal((TaskState.Skipped, TaskRun.UpstreamDidNotSucceed), (breadthFirst.Tasks.Single(t => t.Name == "Label").State, breadthFirst.Tasks.Single(t => t.Name == "Label").SkipReason));
        var labels = chained.Tasks.Where(t => t.Name.StartsWith("Label", StringComparison.Ordinal)).ToList();
        Assert.All(labels, t => Assert.True(t.State is TaskState.Succeeded or TaskState.Skipped, $"{t.Name} is {t.State}"));
        Assert.DoesNotContain(labels, t => t.Name == "Label[2]" && t.State == TaskState.Succeeded);
        Assert.DoesNotContain("label 3", Lines(chainedJournal));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_TryMap_stage_hands_each_outcome_to_the_next_stage_as_the_eager_body_does(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var items = new[] { 1, 2, 3, 4, 6, 7 };
        var expected = ChainedMaps.Tolerant(items);

        var run = await ChainedMaps.TolerantFlow.RunAsync(lease.Executor, items, options: new FlowRunOptions { MapChainWindow = 2 }).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(expected, run.Result);
        Assert.Equal("System.ArgumentException: multiple of three: 3", run.Result[2]);
        Assert.Equal(TaskState.Failed, run.Tasks.Single(t => t.Name == "Checked[2]").State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task Cancelling_a_chain_under_way_ends_the_run_cancelled(string executorName)
    {
        using var lease = workers.Lease(executorName);
        using var cts = new CancellationTokenSource();
        var listener = FlowListener.Create(e =>
        {
            if (e is TaskFinished { Task: "Double#2[0]" })
            {
                cts.Cancel();
            }
        });

        // A window of one: the element that waits is under way alone (a worker busy with a waiting element
        // cannot hold up element 0 on any executor), and the cancellation reaches it mid-chain.
        var run = await ChainedMaps.WaitsFlow.RunAsync(lease.Executor, Enumerable.Range(0, 6).ToArray(), cts.Token, new FlowRunOptions { MapChainWindow = 1, Listeners = [listener] }).WaitAsync(Patience);

        Assert.Equal(FlowState.Cancelled, run.State);
        Assert.Equal(TaskState.Succeeded, run.Tasks.Single(t => t.Name == "Double#2[0]").State);
        Assert.Contains(run.Tasks, t => t.State == TaskState.Cancelled);
        Assert.DoesNotContain(run.Tasks, t => t.State is TaskState.Pending or TaskState.Running or TaskState.Retrying);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_resumed_chain_restores_the_elements_it_checkpointed_and_runs_only_the_rest(string executorName)
    {
        using var lease = workers.Lease(executorName);
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var items = Enumerable.Range(0, 5).ToArray();
        var options = new FlowRunOptions { Store = store, MapChainWindow = 2 };

        var first = await ChainedMaps.GatedFlow.RunAsync(lease.Executor, items, journal, gate, options: options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);
        Assert.Equal("NeedsGate[2]", first.FirstFailure!.Name);
        var ranLast = first.Tasks.Where(t => t.Name.StartsWith("Note#2[", StringComparison.Ordinal) && t.State == TaskState.Succeeded).Select(t => t.Name).ToList();

        File.WriteAllText(gate, "open");
        File.Delete(journal);
        var resumed = await ChainedMaps.GatedFlow.ResumeAsync(lease.Executor, first.RunId, options: options).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, resumed.State);
        Assert.Equal(ChainedMaps.Gated(items, NewPath("eager"), gate), resumed.Result);
        Assert.All(resumed.Tasks.Where(t => t.Name.StartsWith("Note[", StringComparison.Ordinal)), t => Assert.True(t.Restored, $"{t.Name} was not restored"));
        Assert.All(resumed.Tasks.Where(t => t.Name.StartsWith("NeedsGate[", StringComparison.Ordinal)), t => Assert.Equal(t.Name != "NeedsGate[2]", t.Restored));
        Assert.All(ranLast, name => Assert.True(resumed.Tasks.Single(t => t.Name == name).Restored, $"{name} was not restored"));

        // What ran again: the gated element, and the last stage's elements that had not run.
        var again = Lines(journal);
        Assert.Equal(new[] { "gate 3" }, again.Where(l => l.StartsWith("gate", StringComparison.Ordinal)));
        Assert.DoesNotContain(again, l => l.StartsWith("first", StringComparison.Ordinal));
        Assert.Equal(5 - ranLast.Count, again.Count(l => l.StartsWith("last", StringComparison.Ordinal)));
    }
}
