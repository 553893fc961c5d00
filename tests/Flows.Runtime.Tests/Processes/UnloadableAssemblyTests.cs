using System.Diagnostics;
using Flows.Graph;

namespace Flows.Runtime.Tests.Processes;

/// <summary>
/// A worker that cannot load a task's assembly (missing, a directory, a FIFO, not an assembly)
/// refuses the task with the path and the reason, and stays alive: the task fails once, it is not
/// Crashed, and the pool keeps its workers (no crash loop of replacements).
/// </summary>
public sealed class UnloadableAssemblyTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _scratch = Directory.CreateTempSubdirectory("flows-unloadable-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string> Kinds => new() { "missing", "directory", "fifo", "text" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_worker_refuses_an_assembly_it_cannot_load_and_stays_alive(string kind)
    {
        var path = Path.Combine(_scratch, $"{kind}.dll");
        var reason = kind switch
        {
            "missing" => "does not exist",
            "directory" => "is a directory",
            "fifo" => "not a regular assembly file",
            _ => "not a .NET assembly",
        };
        switch (kind)
        {
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "fifo":
                using (var mkfifo = Process.Start("mkfifo", [path]))
                {
                    await mkfifo.WaitForExitAsync().WaitAsync(Patience);
                    Assert.Equal(0, mkfifo.ExitCode);
                }

                break;
            case "text":
                File.WriteAllText(path, string.Concat(Enumerable.Repeat("this is not an assembly, only text. ", 20)));
                break;
        }

        using var executor = new ProcessExecutor(1, new ProcessExecutorOptions { AssemblyPathOverride = path });
        await executor.StartAsync().WaitAsync(Patience);
        var before = executor.WorkerProcessIds;
        var graph = new FlowGraph($"process-unloadable-{kind}", ["x"], [], [FlowNode.ForTask("Inc", WorkerTasks.Inc, 0)], 1);
        var run = await FlowRunner.RunAsync<int>(graph, executor, [1]).WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        Assert.Equal(TaskState.Failed, run.Tasks[0].State);
        Assert.Equal(1, run.Tasks[0].Attempts);
        var error = Assert.IsType<WorkerRefusedException>(run.Tasks[0].Exception);
        Assert.Contains($"process-unloadable-{kind}", error.Message);
        Assert.Contains("'Inc'", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(before, executor.WorkerProcessIds);
    }

    [Fact]
    public async Task A_map_over_a_missing_assembly_fails_each_element_once_without_killing_workers()
    {
        var path = Path.Combine(_scratch, "gone", "Tasks.dll");
        using var executor = new ProcessExecutor(2, new ProcessExecutorOptions { AssemblyPathOverride = path });
        await executor.StartAsync().WaitAsync(Patience);
        var before = executor.WorkerProcessIds.Order().ToArray();
        var graph = new FlowGraph("process-missing-assembly", ["xs"], [],
            [FlowNode.ForMap("IncEach", WorkerTasks.Inc, MapAdapter<int, int>.Instance, 0)], 1);
        var run = await FlowRunner.RunAsync<int[]>(graph, executor, [Enumerable.Range(0, 20).ToArray()]).WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        var elements = run.Tasks.Where(t => t.Name.StartsWith("IncEach[", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, elements.Count);
        Assert.All(elements, element =>
        {
            Assert.Equal(TaskState.Failed, element.State);
            Assert.Equal(1, element.Attempts);
            Assert.Contains(path, element.Exception!.Message);
        });
        Assert.Equal(before, executor.WorkerProcessIds.Order().ToArray());
        Assert.All(before, pid => Assert.False(Process.GetProcessById(pid).HasExited));
    }
}
