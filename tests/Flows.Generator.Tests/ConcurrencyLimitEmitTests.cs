using System.Reflection;
using Flows.Graph;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// <c>[Task(MaxConcurrency = n, Tags = ...)]</c> reaches the generated descriptors (the registry's and a
/// flow's own, for a task the registry cannot reach), the code compiles cleanly, and a limit is policy:
/// changing it keeps the task's code hash and the flow's graph hash, so checkpoints and cache entries stay valid.
/// </summary>
public sealed class ConcurrencyLimitEmitTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Limited
        {
            public static partial class Crawl
            {
                [Task(MaxConcurrency = 3, Tags = new[] { "http", "db", "http" })]
                public static async Task<int> Fetch(int x, CancellationToken ct)
                {
                    await Task.Yield();
                    return x + 1;
                }

                [Task(Tags = ["db"])]
                private static int Store(int[] pages) => pages.Length;

                [Task]
                public static int Plain(int x) => x;

                [Flow]
                public static async Task<int> Run(int[] urls, CancellationToken ct)
                {
                    var pages = await Flow.Map(Fetch, urls, ct);
                    return Store(pages);
                }
            }
        }
        """;

    [Fact]
    public void Code_emitted_for_concurrency_limits_compiles_with_no_diagnostics_at_all()
    {
        var (output, result) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        var files = GeneratorHarness.GeneratedFiles(result);
        Assert.Contains("{ MaxConcurrency = 3, Tags = new string[] { \"http\", \"db\" } };", files["Flows.TaskRegistry.g.cs"], StringComparison.Ordinal);
        var flow = files.Single(f => f.Key.EndsWith("Run.Flow.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("{ Tags = new string[] { \"db\" } };", flow, StringComparison.Ordinal);
    }

    [Fact]
    public void The_descriptors_hold_the_limit_and_the_tags_once_each_in_order_and_nothing_for_an_unlimited_task()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        var graph = (FlowGraph)assembly.StaticProperty("Limited.Crawl+RunFlow", "Graph")!;

        var fetch = graph.Nodes[0].Task!;
        Assert.Equal(3, fetch.MaxConcurrency);
        Assert.Equal(new[] { "http", "db" }, fetch.Tags);
        var store = graph.Nodes[1].Task!;
        Assert.Equal(0, store.MaxConcurrency);
        Assert.Equal(new[] { "db" }, store.Tags);
    }

    [Fact]
    public async Task A_generated_flow_runs_with_its_limits_and_a_tag_limit_on_threads()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        using var executor = new ThreadExecutor(numWorkers: 4);
        var runAsync = assembly.Type("Limited.Crawl+RunFlow").GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
        var options = new FlowRunOptions { TagLimits = new Dictionary<string, int> { ["db"] = 1 } };

        var task = (Task)runAsync.Invoke(null, new object?[] { executor, Enumerable.Range(0, 20).ToArray(), CancellationToken.None, options })!;
        await task.WaitAsync(TimeSpan.FromSeconds(30));
        var run = (FlowRun)task.GetType().GetProperty("Result")!.GetValue(task)!;

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Equal(21, run.Tasks.Count);
    }

    [Fact]
    public void Changing_a_limit_or_a_tag_keeps_the_code_hash_and_the_graph_hash()
    {
        var before = Hashes(Source);
        var after = Hashes(Source
            .Replace("MaxConcurrency = 3, Tags = new[] { \"http\", \"db\", \"http\" }", "MaxConcurrency = 8", StringComparison.Ordinal)
            .Replace("[Task(Tags = [\"db\"])]", "[Task(Tags = [\"db\", \"disk\"], MaxConcurrency = 1)]", StringComparison.Ordinal));

        Assert.NotEqual(before.Registry, after.Registry);
        Assert.Equal(before.Hashes, after.Hashes);
    }

    private static (string Registry, string[] Hashes) Hashes(string source)
    {
        var files = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(source).Result);
        var registry = files["Flows.TaskRegistry.g.cs"];
        var flow = files.Single(f => f.Key.EndsWith("Run.Flow.g.cs", StringComparison.Ordinal)).Value;
        var hashes = (registry + flow).Split('\n')
            .Where(l => l.Contains("codeHash:", StringComparison.Ordinal) || l.TrimStart().StartsWith("Hash = ", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToArray();
        Assert.True(hashes.Length >= 3, "expected the code hashes of three tasks and the graph's hash");
        return (registry, hashes);
    }
}
