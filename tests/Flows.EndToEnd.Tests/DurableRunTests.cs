namespace Flows.EndToEnd.Tests;

/// <summary>
/// Durable runs on every executor: what succeeded is checkpointed, a resume restores it and runs
/// only the rest, a cached task is not run again, and damaged values are recomputed, never decoded.
/// Each test reads the journal its tasks append to, so "not run again" is what the code did, not
/// what the records say.
/// </summary>
public sealed class DurableRunTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-durable-").FullName;

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    public void Dispose() => Directory.Delete(_folder, recursive: true);


    private string NewPath(string name) => Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N"));

    private static string[] Lines(string journal) => File.Exists(journal) ? File.ReadAllLines(journal) : Array.Empty<string>();

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_resumed_run_restores_what_succeeded_and_runs_only_the_rest(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store };

        var first = await DurableFlows.PipelineFlow.RunAsync(executor, journal, gate, 5, [1, 2, 3, 4], options: options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);
        Assert.Equal("SquareUnlessClosed[2]", first.FirstFailure!.Name);
        Assert.False(string.IsNullOrEmpty(first.RunId));
        var ranFirst = Lines(journal);
        Assert.Contains("a 5", ranFirst);
        Assert.Contains("b 6", ranFirst);
        Assert.DoesNotContain("total", ranFirst);

        File.WriteAllText(gate, "open");
        File.Delete(journal);
        var resumed = await DurableFlows.PipelineFlow.ResumeAsync(executor, first.RunId, options: options).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, resumed.State);
        Assert.Equal(((1 + 4 + 9 + 16) + 7) * 10, resumed.Result);
        Assert.Equal(first.RunId, resumed.RunId);

        // Only element 3 of the map, the total and the last step ran again: a, b and elements 1, 2, 4 were restored.
        Assert.Equal(new[] { "needs-gate 37", "square 3", "total" }, Lines(journal).Order(StringComparer.Ordinal));
        foreach (var restored in new[] { "Step", "Step#2", "SquareUnlessClosed[0]", "SquareUnlessClosed[1]", "SquareUnlessClosed[3]" })
        {
            var record = Assert.Single(resumed.Tasks, t => t.Name == restored);
            Assert.True(record.Restored, restored);
            Assert.Equal(TaskState.Succeeded, record.State);
            Assert.Equal(0, record.Attempts);
        }

        var rerun = Assert.Single(resumed.Tasks, t => t.Name == "SquareUnlessClosed[2]");
        Assert.False(rerun.Restored);
        Assert.Equal(1, rerun.Attempts);
        Assert.Equal(FlowState.Succeeded, Assert.Single(store.ListRuns(), r => r.RunId == first.RunId).State);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_task_that_opts_out_of_checkpoints_runs_again_on_resume(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store, RunId = "fresh-" + name };

        var first = await DurableFlows.WithFreshFlow.RunAsync(executor, journal, gate, 1, options: options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);
        Assert.Equal("fresh-" + name, first.RunId);

        File.WriteAllText(gate, "open");
        var resumed = await DurableFlows.WithFreshFlow.ResumeAsync(executor, first.RunId, options: options).WaitAsync(Patience);
        Assert.Equal(10010, resumed.Result);
        Assert.Equal(new[] { "fresh 1", "needs-gate 1001", "fresh 1", "needs-gate 1001" }, Lines(journal));
        Assert.False(Assert.Single(resumed.Tasks, t => t.Name == "Fresh").Restored);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_cached_task_is_not_run_again_for_the_same_inputs(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var journal = NewPath("journal");
        var options = new FlowRunOptions { Store = store };

        var first = await DurableFlows.CachedFlow.RunAsync(executor, journal, 21, options: options).WaitAsync(Patience);
        var second = await DurableFlows.CachedFlow.RunAsync(executor, journal, 21, options: options).WaitAsync(Patience);
        var other = await DurableFlows.CachedFlow.RunAsync(executor, journal, 22, options: options).WaitAsync(Patience);

        Assert.Equal(43, first.Result);
        Assert.Equal(43, second.Result);
        Assert.Equal(45, other.Result);
        Assert.Equal(TaskState.Succeeded, Assert.Single(first.Tasks, t => t.Name == "Expensive").State);
        var cached = Assert.Single(second.Tasks, t => t.Name == "Expensive");
        Assert.Equal(TaskState.Cached, cached.State);
        Assert.Equal(0, cached.Attempts);
        Assert.Equal(TaskState.Succeeded, Assert.Single(other.Tasks, t => t.Name == "Expensive").State);

        // The journal's journal path is an input too; the same journal keeps the key the same.
        Assert.Equal(new[] { "expensive 21", "after 42", "after 42", "expensive 22", "after 44" }, Lines(journal));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_large_result_is_restored_from_its_own_file(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store };
        const int Count = 100_000; // 400 KB: a file of its own

        var first = await DurableFlows.LargeFlow.RunAsync(executor, journal, gate, Count, options: options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(store.Path, "blobs")));

        File.WriteAllText(gate, "open");
        File.Delete(journal);
        var resumed = await DurableFlows.LargeFlow.ResumeAsync(executor, first.RunId, options: options).WaitAsync(Patience);
        var sum = (long)Count * (Count - 1) / 2;
        Assert.Equal((int)(sum % 1000) * 10, resumed.Result);
        Assert.Equal(new[] { $"needs-gate {sum % 1000}" }, Lines(journal));
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_damaged_checkpoint_is_recomputed_not_decoded(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store };
        const int Count = 100_000;

        var first = await DurableFlows.LargeFlow.RunAsync(executor, journal, gate, Count, options: options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);

        // One flipped byte in the large result's file: its checksum no longer matches.
        var file = Assert.Single(Directory.GetFiles(Path.Combine(store.Path, "blobs")));
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(file, bytes);

        File.WriteAllText(gate, "open");
        File.Delete(journal);
        var resumed = await DurableFlows.LargeFlow.ResumeAsync(executor, first.RunId, options: options).WaitAsync(Patience);
        var sum = (long)Count * (Count - 1) / 2;
        Assert.Equal((int)(sum % 1000) * 10, resumed.Result);
        // Numbers runs again; Sum's own checkpoint is intact, so it is restored (a resume restores every
        // task that succeeded, as the run that made it saw it).
        Assert.Equal(new[] { $"numbers {Count}", $"needs-gate {sum % 1000}" }, Lines(journal));
        Assert.False(Assert.Single(resumed.Tasks, t => t.Name == "Numbers").Restored);
        Assert.True(Assert.Single(resumed.Tasks, t => t.Name == "Sum").Restored);
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_subflows_tasks_are_restored_by_their_path(string name)
    {
        using var lease = workers.Lease(name);
        var executor = lease.Executor;
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store };

        var first = await DurableFlows.OuterFlow.RunAsync(executor, journal, gate, 1, options: options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);
        File.WriteAllText(gate, "open");
        File.Delete(journal);
        var resumed = await DurableFlows.OuterFlow.ResumeAsync(executor, first.RunId, options: options).WaitAsync(Patience);

        Assert.Equal(30, resumed.Result);
        Assert.Equal(new[] { "needs-gate 3" }, Lines(journal));
        Assert.All(resumed.Tasks.Where(t => t.Name.StartsWith("Inner/", StringComparison.Ordinal)), t => Assert.True(t.Restored, t.Name));
    }

    [Fact]
    public async Task A_new_run_may_not_reuse_a_stored_run_id_and_a_resume_needs_a_run_the_store_has()
    {
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var options = new FlowRunOptions { Store = store, RunId = "nightly" };
        await DurableFlows.WithFreshFlow.RunAsync(new LocalExecutor(), journal, gate, 1, options: options).WaitAsync(Patience);

        var reused = await Assert.ThrowsAsync<FlowStoreException>(() => DurableFlows.WithFreshFlow.RunAsync(new LocalExecutor(), journal, gate, 1, options: options));
        Assert.Contains("already has a run 'nightly'", reused.Message);
        Assert.Contains("ResumeAsync", reused.Message);

        var missing = await Assert.ThrowsAsync<FlowStoreException>(() => DurableFlows.WithFreshFlow.ResumeAsync(new LocalExecutor(), "weekly", options: options));
        Assert.Contains("has no run 'weekly'", missing.Message);
        Assert.Equal(store.Path, missing.StorePath);

        var otherFlow = await Assert.ThrowsAsync<FlowStoreException>(() => DurableFlows.PipelineFlow.ResumeAsync(new LocalExecutor(), "nightly", options: options));
        Assert.Contains("is a run of flow 'DurableFlows.WithFresh'", otherFlow.Message);

        var noStore = await Assert.ThrowsAsync<ArgumentException>(() => DurableFlows.WithFreshFlow.ResumeAsync(new LocalExecutor(), "nightly"));
        Assert.Contains("FlowRunOptions.Store", noStore.Message);
    }

    [Fact]
    public async Task Runs_are_listed_with_their_states_and_deleted_with_their_checkpoints()
    {
        using var store = FlowStore.Open(NewPath("store"));
        var (journal, gate) = (NewPath("journal"), NewPath("gate"));
        var failed = await DurableFlows.LargeFlow.RunAsync(new ThreadExecutor(2), journal, gate, 100_000, options: new() { Store = store, RunId = "large" }).WaitAsync(Patience);
        File.WriteAllText(gate, "open");
        var succeeded = await DurableFlows.WithFreshFlow.RunAsync(new ThreadExecutor(2), journal, gate, 1, options: new() { Store = store, RunId = "fresh" }).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, failed.State);
        Assert.Equal(FlowState.Succeeded, succeeded.State);

        var runs = store.ListRuns();
        Assert.Equal(new[] { "fresh", "large" }, runs.Select(r => r.RunId));
        var large = runs.Single(r => r.RunId == "large");
        Assert.Equal((FlowState.Failed, "DurableFlows.Large", 2, false), (large.State, large.FlowName, large.Checkpoints, large.Interrupted));
        Assert.Equal(1, runs.Single(r => r.RunId == "fresh").Checkpoints); // Fresh opted out; NeedsGate's result is kept

        Assert.True(store.DeleteRun("large"));
        Assert.False(store.DeleteRun("large"));
        Assert.Null(store.FindRun("large"));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Path, "blobs")));
    }
}
