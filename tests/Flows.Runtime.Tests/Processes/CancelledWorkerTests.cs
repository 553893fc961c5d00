using System.Diagnostics;
using Flows.Graph;
using Microsoft.Extensions.Logging;
using C = Flows.Runtime.Tests.ConformanceTasks;

namespace Flows.Runtime.Tests.Processes;

/// <summary>A worker still running a cancelled run's task after the grace is killed, logged and replaced.</summary>
public sealed class CancelledWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    private readonly ProcessExecutor _executor = new(numWorkers: 1, new ProcessExecutorOptions { CancelGrace = TimeSpan.FromMilliseconds(200) });
    private readonly string _dir = Directory.CreateTempSubdirectory("flows-cancelled-worker-").FullName;

    public Task InitializeAsync() => _executor.StartAsync().WaitAsync(Patience);

    public Task DisposeAsync()
    {
        Scratch.ReleaseAndDelete(_dir);
        _executor.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_worker_that_ignores_the_cancellation_is_killed_after_the_grace_and_replaced()
    {
        var stuck = Assert.Single(_executor.WorkerProcessIds);
        var sink = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink));
        var g = new TestGraph("cancel-kills");
        var graph = g.Build(g.Task(C.DeafSync, g.Constant(_dir), g.Constant(0)));
        using var cts = new CancellationTokenSource();
        var running = FlowRunner.RunAsync<int>(graph, _executor, Array.Empty<object?>(), new FlowRunOptions { LoggerFactory = factory }, cts.Token);
        await Scratch.WaitForFileAsync(_dir, "started-0", Patience);
        cts.Cancel();
        var run = await running.WaitAsync(Patience);

        Assert.Equal(TaskState.Cancelled, run.Tasks[0].State);
        Assert.True(
            Scratch.PollUntil(() => _executor.WorkerProcessIds is [var pid] && pid != stuck),
            $"worker {stuck} was not replaced: workers {string.Join(", ", _executor.WorkerProcessIds)}");
        Assert.True(HasExited(stuck), $"worker {stuck} still runs");
        Assert.Contains(sink.Lines, l => l.Level == LogLevel.Warning
            && l.Message.Contains($"task DeafSync still ran in worker process {stuck} 200 ms later", StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Lines, l => l.Message.Contains("Crashed", StringComparison.Ordinal));
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
