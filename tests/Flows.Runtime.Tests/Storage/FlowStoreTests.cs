using Flows.Graph;
using Microsoft.Data.Sqlite;

namespace Flows.Runtime.Tests.Storage;

/// <summary>
/// The store on its own terms: what a resume refuses, runs whose process died, damaged and foreign
/// files, a full disk, the cache's expiry and bound. Graphs are built by hand with codecs.
/// </summary>
public sealed class FlowStoreTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-store-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string NewPath(string name) => Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_resume_under_a_graph_that_changed_is_refused()
    {
        using var store = FlowStore.Open(NewPath("store"));
        var gate = NewPath("gate");
        var options = new FlowRunOptions { Store = store, RunId = "r" };
        var first = await FlowRunner.RunAsync<int>(StoreTasks.AddThenGate("graph-1"), new LocalExecutor(), [5, gate], options).WaitAsync(Patience);
        Assert.Equal(FlowState.Failed, first.State);

        var error = await Assert.ThrowsAsync<FlowStoreException>(() => FlowRunner.ResumeAsync<int>(StoreTasks.AddThenGate("graph-2"), new LocalExecutor(), "r", options));
        Assert.Contains("changed since run 'r' started", error.Message);
        Assert.Contains("graph-1", error.Message);
        Assert.Contains("graph-2", error.Message);

        // The refused resume took nothing over: the right graph still resumes it.
        File.WriteAllText(gate, "open");
        var resumed = await FlowRunner.ResumeAsync<int>(StoreTasks.AddThenGate("graph-1"), new LocalExecutor(), "r", options).WaitAsync(Patience);
        Assert.Equal(60, resumed.Result);
    }

    [Fact]
    public async Task A_run_still_running_is_not_resumed_twice()
    {
        using var store = FlowStore.Open(NewPath("store"));
        StoreTasks.Unblock = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var g = new TestGraph("Blocked", "x");
        var graph = g.Build(g.Task(StoreTasks.Block, g.P(0)), "blocked", new StoreTasks.ArgumentsCodec(typeof(int)));
        var options = new FlowRunOptions { Store = store, RunId = "busy" };

        var running = FlowRunner.RunAsync<int>(graph, new ThreadExecutor(2), [7], options);
        var error = await Assert.ThrowsAsync<FlowStoreException>(() => FlowRunner.ResumeAsync<int>(graph, new ThreadExecutor(2), "busy", options));
        Assert.Contains("already running in this process", error.Message);
        Assert.Equal(FlowState.Running, store.FindRun("busy")!.State);
        Assert.False(store.FindRun("busy")!.Interrupted);

        StoreTasks.Unblock.SetResult();
        Assert.Equal(7, (await running.WaitAsync(Patience)).Result);
        Assert.Equal(FlowState.Succeeded, store.FindRun("busy")!.State);
    }

    [Fact]
    public async Task A_run_whose_process_died_is_listed_as_interrupted_and_resumes()
    {
        var path = NewPath("store");
        var gate = NewPath("gate");
        using (var store = FlowStore.Open(path))
        {
            var run = await FlowRunner.RunAsync<int>(StoreTasks.AddThenGate(), new LocalExecutor(), [1, gate], new FlowRunOptions { Store = store, RunId = "dead" }).WaitAsync(Patience);
            Assert.Equal(FlowState.Failed, run.State);
        }

        // What a killed process leaves: the run marked running, owned by a process that is gone.
        Sql(path, "UPDATE runs SET state = 0, owner_host = $host, owner_pid = 2147483000, owner_start = 1 WHERE run_id = 'dead'", ("$host", Environment.MachineName));

        using var reopened = FlowStore.Open(path);
        var listed = Assert.Single(reopened.ListRuns());
        Assert.Equal((FlowState.Running, true, 1), (listed.State, listed.Interrupted, listed.Checkpoints));

        File.WriteAllText(gate, "open");
        var before = StoreTasks.Adds;
        var resumed = await FlowRunner.ResumeAsync<int>(StoreTasks.AddThenGate(), new LocalExecutor(), "dead", new FlowRunOptions { Store = reopened }).WaitAsync(Patience);
        Assert.Equal(20, resumed.Result);
        Assert.True(resumed.Tasks[0].Restored);
        Assert.Equal(before, StoreTasks.Adds);
    }

    [Fact]
    public void A_folder_whose_database_is_not_a_store_is_refused_with_its_path()
    {
        var path = NewPath("store");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "flows.db"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());

        var error = Assert.Throws<FlowStoreException>(() => FlowStore.Open(path));
        Assert.Equal(path, error.StorePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("damaged or is not a Flows store", error.Message);
    }

    [Fact]
    public void A_store_of_another_layout_is_refused()
    {
        var path = NewPath("store");
        FlowStore.Open(path).Dispose();
        Sql(path, "UPDATE store_info SET value = '99' WHERE key = 'version'");

        var error = Assert.Throws<FlowStoreException>(() => FlowStore.Open(path));
        Assert.Contains("layout version 99", error.Message);
    }

    [Fact]
    public void A_file_given_as_the_store_folder_is_refused()
    {
        var path = NewPath("file");
        File.WriteAllText(path, "not a folder");
        var error = Assert.Throws<FlowStoreException>(() => FlowStore.Open(path));
        Assert.Contains("takes a folder", error.Message);
    }

    [Fact]
    public async Task A_full_disk_keeps_the_result_and_says_what_was_not_checkpointed()
    {
        using var store = FlowStore.Open(NewPath("store"));
        store.LimitWriterPagesForTests(PageCount(store.Path));
        var gate = NewPath("gate");
        File.WriteAllText(gate, "open");

        // 40 KB results, kept inline: the database must grow, and cannot.
        var run = await FlowRunner.RunAsync<int>(StoreTasks.OnesThenGate(), new ThreadExecutor(2), [10_000, gate], new FlowRunOptions { Store = store }).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(100_000, run.Result);
        Assert.NotNull(run.StoreError);
        Assert.Contains("full", run.StoreError!.Message);
        Assert.Contains(store.Path, run.StoreError.Message);
    }

    [Fact]
    public async Task An_expired_cache_entry_is_not_used_and_is_cleaned_away()
    {
        using var store = FlowStore.Open(NewPath("store"));
        var cached = new TaskDescriptor(
            "Tests.Store.CachedAdd", "CachedAdd", StoreTasks.Add.Invoke, codec: StoreTasks.Add.Codec, codeHash: "add-1", cacheFor: TimeSpan.FromTicks(1));
        var g = new TestGraph("Expiring", "x");
        var graph = g.Build(g.Task(cached, g.P(0), g.Constant(2)), "expiring", new StoreTasks.ArgumentsCodec(typeof(int)));

        var before = StoreTasks.Adds;
        var first = await FlowRunner.RunAsync<int>(graph, new LocalExecutor(), [3], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        var second = await FlowRunner.RunAsync<int>(graph, new LocalExecutor(), [3], new FlowRunOptions { Store = store }).WaitAsync(Patience);

        Assert.Equal((5, 5), (first.Result, second.Result));
        Assert.Equal(TaskState.Succeeded, second.Tasks[0].State);
        Assert.Equal(before + 2, StoreTasks.Adds);
        Assert.Equal(1, store.Clean().ExpiredCacheEntries); // the second run replaced the first entry under the same key
        Assert.Equal(0, Count(store.Path, "cache"));
    }

    [Fact]
    public async Task The_cache_is_kept_within_its_bound_least_recently_used_first()
    {
        using var store = FlowStore.Open(NewPath("store"), new FlowStoreOptions { MaxCacheBytes = 100_000 });
        var cachedOnes = new TaskDescriptor(
            "Tests.Store.CachedOnes", "CachedOnes", StoreTasks.Ones.Invoke, codec: StoreTasks.Ones.Codec, codeHash: "ones-1", cacheFor: TimeSpan.FromHours(1));
        var g = new TestGraph("Bounded", "n");
        var graph = g.Build(g.Task(cachedOnes, g.P(0)), "bounded", new StoreTasks.ArgumentsCodec(typeof(int)));

        // Five results of about 40 KB each: at most two fit.
        for (var n = 10_000; n < 10_005; n++)
        {
            var run = await FlowRunner.RunAsync<int[]>(graph, new LocalExecutor(), [n], new FlowRunOptions { Store = store }).WaitAsync(Patience);
            Assert.Equal(n, run.Result.Length);
        }

        Assert.InRange(Count(store.Path, "cache"), 1, 2);
        var newest = await FlowRunner.RunAsync<int[]>(graph, new LocalExecutor(), [10_004], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        Assert.Equal(TaskState.Cached, newest.Tasks[0].State);
        var oldest = await FlowRunner.RunAsync<int[]>(graph, new LocalExecutor(), [10_000], new FlowRunOptions { Store = store }).WaitAsync(Patience);
        Assert.Equal(TaskState.Succeeded, oldest.Tasks[0].State);
    }

    private static long PageCount(string path)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(path, "flows.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        return (long)command.ExecuteScalar()!;
    }

    private static long Count(string path, string table)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(path, "flows.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static void Sql(string path, string sql, params (string Name, object Value)[] parameters)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(path, "flows.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
