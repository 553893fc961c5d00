using System.Globalization;
using Flows.Cluster.Hosting;

namespace Flows.Cluster.Tests;

/// <summary>
/// How a local cluster's workers come in (see JoinGate): side by side up to reading the membership, then
/// one at a time for the writes into the membership table, which race otherwise (Orleans backs off for
/// seconds after a lost race). Read from the start trace the workers write (FLOWS_START_TRACE).
/// </summary>
[Collection(nameof(LocalClusterStartTests))]
public sealed class LocalClusterStartTests : IDisposable
{
    private readonly string _trace = Path.Combine(Directory.CreateTempSubdirectory("flows-start-").FullName, "start.trace");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_trace)!, recursive: true);

    [Fact]
    public async Task Workers_write_themselves_into_the_membership_one_at_a_time_after_reading_it()
    {
        // This process keeps whatever it read before (the workers read the variable afresh). No other test
        // runs meanwhile (the collection below), so no other test's process inherits the variable.
        _ = StartTrace.Enabled;
        Environment.SetEnvironmentVariable("FLOWS_START_TRACE", _trace);
        IReadOnlyDictionary<string, int> workers;
        try
        {
            await using var executor = await ClusterExecutor.StartLocalAsync(workers: 3);
            workers = executor.WorkerProcesses;
        }
        finally
        {
            Environment.SetEnvironmentVariable("FLOWS_START_TRACE", null);
        }

        var marks = File.ReadAllLines(_trace).Select(Mark.Parse).Where(m => workers.Values.Contains(m.ProcessId)).ToList();
        Assert.Equal(3, workers.Count);
        var entries = workers.Values
            .Select(pid => (
                Read: marks.Single(m => m.ProcessId == pid && m.Phase == "worker: has read the membership").At,
                Enter: marks.Single(m => m.ProcessId == pid && m.Phase == "worker: told to enter").At,
                Ready: marks.Single(m => m.ProcessId == pid && m.Phase == "worker: silo started (ready)").At))
            .OrderBy(e => e.Enter)
            .ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.True(entries[i].Read <= entries[i].Enter, $"worker {i} entered before it had read the membership");
            if (i > 0)
            {
                Assert.True(entries[i - 1].Ready <= entries[i].Enter, $"worker {i} was let in at {entries[i].Enter:HH:mm:ss.fff}, before the one before it was ready ({entries[i - 1].Ready:HH:mm:ss.fff})");
            }
        }
    }

    private sealed record Mark(DateTime At, int ProcessId, string Phase)
    {
        // "HH:mm:ss.fff PID cpu Nms phase"
        public static Mark Parse(string line)
        {
            var parts = line.Split(' ', 2);
            var rest = parts[1].TrimStart();
            var pidEnd = rest.IndexOf(' ', StringComparison.Ordinal);
            var pid = int.Parse(rest[..pidEnd], CultureInfo.InvariantCulture);
            var phase = rest[(rest.IndexOf("ms ", StringComparison.Ordinal) + 3)..];
            return new Mark(DateTime.ParseExact(parts[0], "HH:mm:ss.fff", CultureInfo.InvariantCulture), pid, phase);
        }
    }
}

/// <summary>Runs alone: its test sets an environment variable that every process started meanwhile would inherit.</summary>
[CollectionDefinition(nameof(LocalClusterStartTests), DisableParallelization = true)]
public sealed class LocalClusterStartCollection
{
}
