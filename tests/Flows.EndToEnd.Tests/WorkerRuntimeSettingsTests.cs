using System.Runtime;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// Worker hosts run on a copy of the application's runtimeconfig; the executors give them the settings they need.
/// This test assembly runs with server GC (its project file says so).
/// </summary>
public sealed class WorkerRuntimeSettingsTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Tasks_on_threads_share_the_applications_server_gc()
    {
        Assert.True(GCSettings.IsServerGC, "the test host should run with server GC (ServerGarbageCollection in the project)");
        using var threads = new ThreadExecutor(numWorkers: 2);

        var run = await RuntimeSettingsFlows.TaskGcModeFlow.RunAsync(threads, 1).WaitAsync(Patience);

        Assert.Equal("server", run.Result);
    }

    [Fact]
    public async Task Worker_processes_run_with_workstation_gc_whatever_the_application_chose()
    {
        var run = await RuntimeSettingsFlows.TaskGcModeFlow.RunAsync(workers.Executor, 1).WaitAsync(Patience);

        Assert.Equal("workstation", run.Result);
    }

    [Fact]
    public async Task Cluster_workers_run_with_workstation_gc_whatever_the_application_chose()
    {
        var run = await RuntimeSettingsFlows.TaskGcModeFlow.RunAsync(workers.Cluster, 1).WaitAsync(Patience);

        Assert.Equal("workstation", run.Result);
    }
}
