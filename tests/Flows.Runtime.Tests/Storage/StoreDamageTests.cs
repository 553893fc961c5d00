using Flows.Graph;
using Microsoft.Data.Sqlite;

namespace Flows.Runtime.Tests.Storage;

/// <summary>
/// The store's readers under damage, as the wire format's readers are fuzzed: a store with runs to
/// resume is copied and damaged at random (bytes of the database or of a value's file changed, files
/// cut short), then opened, listed and resumed. Every outcome must be a <see cref="FlowStoreException"/>
/// naming the store, or a run with the right result; never another exception, never a wrong result.
/// </summary>
public sealed class StoreDamageTests : IDisposable
{
    private const int Rounds = 120;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-damage-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_damaged_store_gives_a_clear_error_or_the_right_result()
    {
        var original = Path.Combine(_folder, "original");
        var gate = Path.Combine(_folder, "gate");
        using (var store = FlowStore.Open(original))
        {
            var small = await FlowRunner.RunAsync<int>(StoreTasks.AddThenGate(), new LocalExecutor(), [5, gate], new FlowRunOptions { Store = store, RunId = "small" }).WaitAsync(Patience);
            var large = await FlowRunner.RunAsync<int>(StoreTasks.OnesThenGate(), new LocalExecutor(), [20_000, gate], new FlowRunOptions { Store = store, RunId = "large" }).WaitAsync(Patience);
            Assert.Equal((FlowState.Failed, FlowState.Failed), (small.State, large.State));
        }

        SqliteConnection.ClearAllPools();
        File.WriteAllText(gate, "open");
        var random = new Random(20261202);
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < Rounds; round++)
        {
            var copy = Path.Combine(_folder, "copy" + round);
            CopyFolder(original, copy);
            var damage = Damage(copy, random);
            try
            {
                var outcome = await OpenAndResume(copy);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            catch (Exception ex)
            {
                Assert.Fail($"Round {round} ({damage}): {ex.GetType().Name}: {ex}");
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(copy, recursive: true);
            }
        }

        // Damage was seen both ways: some stores refused, some resumed (restoring or recomputing).
        Assert.True(outcomes.Count > 1, string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    /// <summary>Opens and resumes both runs; "refused" when the store said it cannot, else what was restored.</summary>
    private static async Task<string> OpenAndResume(string path)
    {
        FlowStore store;
        try
        {
            store = FlowStore.Open(path);
        }
        catch (FlowStoreException ex)
        {
            Assert.Equal(path, ex.StorePath);
            return "refused at open";
        }

        using (store)
        {
            var outcome = new List<string>();
            foreach (var (runId, graph, expected) in new (string, FlowGraph, int)[] { ("small", StoreTasks.AddThenGate(), 60), ("large", StoreTasks.OnesThenGate(), 200_000) })
            {
                try
                {
                    store.ListRuns();
                    var run = await FlowRunner.ResumeAsync<int>(graph, new LocalExecutor(), runId, new FlowRunOptions { Store = store }).WaitAsync(Patience);
                    Assert.Equal(FlowState.Succeeded, run.State);
                    Assert.Equal(expected, run.Result);
                    outcome.Add(run.Tasks.Any(t => t.Restored) ? "restored" : "recomputed");
                }
                catch (FlowStoreException ex)
                {
                    Assert.Equal(path, ex.StorePath);
                    outcome.Add("refused");
                }
            }

            return string.Join("+", outcome);
        }
    }

    private static string Damage(string path, Random random)
    {
        var database = Path.Combine(path, "flows.db");
        var blobs = Directory.GetFiles(Path.Combine(path, "blobs"));
        var target = random.Next(3) == 0 && blobs.Length > 0 ? blobs[0] : database;
        var bytes = File.ReadAllBytes(target);
        if (random.Next(4) == 0)
        {
            var length = random.Next(bytes.Length);
            File.WriteAllBytes(target, bytes[..length]);
            return $"{Path.GetFileName(target)} cut to {length} of {bytes.Length} bytes";
        }

        var flips = 1 + random.Next(8);
        for (var i = 0; i < flips; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        File.WriteAllBytes(target, bytes);
        return $"{flips} bit(s) flipped in {Path.GetFileName(target)}";
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
