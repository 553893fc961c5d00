using System.Diagnostics;
using System.Globalization;
using Flows.Graph;
using Microsoft.Extensions.Logging;
using K = Flows.Cluster.Tests.ClusterTasks;

namespace Flows.Cluster.Tests;

/// <summary>
/// A worker that stops answering while its process lives (a long GC pause, swapping, a CPU-starved
/// host: here SIGSTOP, which looks the same from outside and can be timed) is busy, not dead: its
/// tasks are not moved or charged, and it is not replaced. A real local cluster.
/// </summary>
public sealed class ClusterBusyWorkerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flows-busy-").FullName;

    public void Dispose() => Scratch.ReleaseAndDelete(_dir);

    [SkippableFact]
    public async Task A_worker_that_stops_answering_while_its_process_lives_keeps_its_tasks_and_its_place()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs SIGSTOP and SIGCONT (kill)");
        var log = new ListLoggerProvider();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(log));
        var options = new LocalClusterOptions { ThreadsPerWorker = 1, WorkerDeathsForgiven = 0, LoggerFactory = loggers };
        await using var executor = await ClusterExecutor.StartLocalAsync(workers: 2, options);
        var workers = executor.WorkerProcesses.ToDictionary();
        var g = new TestGraph("busy");
        var dir = g.Constant(_dir);
        var total = g.Task(Tasks.Add, g.Task(K.WaitThenIncRetried, dir, g.Constant(1)), g.Task(K.WaitThenIncRetried, dir, g.Constant(2)));
        var running = FlowRunner.RunAsync<int>(g.Build(total), executor, []);

        // One task on each worker's only thread; then one worker stops answering anything.
        await Scratch.WaitForCountAsync(_dir, "waiting.*", 2, Scratch.Patience);
        var victim = workers.Values.First();
        Signal("STOP", victim);
        try
        {
            // The session notices the silence, and that the process lives.
            var busy = log.WaitForAsync(line => line.Message.Contains("taken as busy, not lost", StringComparison.Ordinal), Scratch.Patience);
            await Task.WhenAny(busy);
            Assert.True(busy.IsCompletedSuccessfully, "no 'taken as busy' warning; the log:\n" + string.Join("\n", log.Lines.Select(l => $"{l.Level}: {l.Message}")));
            Assert.Equal(LogLevel.Warning, busy.Result.Level);
        }
        finally
        {
            Signal("CONT", victim);
        }

        Scratch.Signal(_dir, "go");
        var run = await running.WaitAsync(Scratch.Patience);

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(2 + 3, run.Result);
        Assert.All(run.Tasks.Where(t => t.Name.StartsWith("WaitThenIncRetried", StringComparison.Ordinal)), t => Assert.Equal(1, t.Attempts));
        Assert.DoesNotContain(log.Lines, line => line.Message.Contains("is lost", StringComparison.Ordinal));
        Assert.Equal(workers, executor.WorkerProcesses.ToDictionary());
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
