using System.Diagnostics;
using Flows.CrashProbe;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// A run whose process is killed (SIGKILL: no finally block, no flush) resumes in another process from
/// the checkpoints the killed one committed, and what it restores is right.
/// </summary>
public sealed class KilledRunTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-killed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_run_killed_part_way_resumes_in_another_process_from_its_checkpoints()
    {
        const int Count = 400;
        var storePath = Path.Combine(_folder, "store");
        var probe = Path.Combine(AppContext.BaseDirectory, "Flows.CrashProbe.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { probe, storePath, "nightly", Count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(start)!)
        {
            try
            {
                // Killed once a quarter of the elements are done: the rest never ran.
                var done = 0;
                while (done < Count / 4)
                {
                    var line = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience)
                        ?? throw new InvalidOperationException($"The probe ended early: {await process.StandardError.ReadToEndAsync()}");
                    if (line.StartsWith("done ", StringComparison.Ordinal))
                    {
                        done++;
                    }
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(Patience);
            }

            Assert.NotEqual(0, process.ExitCode);
        }

        using var store = FlowStore.Open(storePath);
        var stored = Assert.Single(store.ListRuns());
        Assert.Equal(("nightly", FlowState.Running, true), (stored.RunId, stored.State, stored.Interrupted));
        Assert.InRange(stored.Checkpoints, 1, Count - 1);

        using var threads = new ThreadExecutor(numWorkers: 2);
        var resumed = await CrashProbeFlows.SquaresFlow.ResumeAsync(threads, "nightly", options: new FlowRunOptions { Store = store }).WaitAsync(Patience);

        Assert.Equal(FlowState.Succeeded, resumed.State);
        Assert.Equal(Enumerable.Range(0, Count).Sum(i => (long)i * i), resumed.Result);
        var restored = resumed.Tasks.Count(t => t.Restored);
        Assert.Equal(stored.Checkpoints, restored);
        Assert.Equal(Count + 1 - restored, resumed.Tasks.Count(t => t.Attempts == 1));
        Assert.Equal(FlowState.Succeeded, store.FindRun("nightly")!.State);
    }
}
