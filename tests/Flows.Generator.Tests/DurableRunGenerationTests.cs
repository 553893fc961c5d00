using Flows.Graph;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// What the generator emits for durable runs: each descriptor's code hash and cache policy, each graph's
/// hash and arguments codec, and <c>ResumeAsync</c> next to <c>RunAsync</c>.
/// </summary>
public sealed class DurableRunGenerationTests
{
    internal const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Shop
        {
            public sealed record Line(string Sku, int Quantity);

            public static class Steps
            {
                [Task(CacheFor = "00:10:00", CacheKey = "prices")]
                public static int Price(Line line, int extra)
                {
                    // The price of a line.
                    return line.Quantity * 3 + extra;
                }

                [Task(Checkpoint = false)]
                public static int Stamp(int value) => value + 1;

                [Task(CacheFor = "1.00:00:00.5")]
                public static Task<int> Later(int value, CancellationToken ct) => Task.FromResult(value);

                [Task]
                public static int Constant() => 7;

                [Task]
                public static void Log(int value)
                {
                }

                [Task]
                public static int Call(Func<int> compute) => compute();
            }

            public static partial class Orders
            {
                [Flow]
                public static async Task<int> Run(Line line, int extra, CancellationToken ct)
                {
                    var price = Steps.Price(line, extra);
                    var stamped = Steps.Stamp(price);
                    return await Steps.Later(stamped, ct);
                }

                [Flow]
                public static int None() => Steps.Constant();

                [Flow]
                public static void Quiet(int value)
                {
                    Steps.Log(value);
                }

                [Flow]
                public static int Opaque(Func<int> compute) => Steps.Call(compute);
            }
        }
        """;

    [Fact]
    public void Generated_files_with_ResumeAsync_and_arguments_codecs_compile_with_no_diagnostics_at_all()
    {
        var (output, _) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
    }

    [Fact]
    public void Descriptors_carry_the_code_hash_the_checkpoint_choice_and_the_cache_policy()
    {
        using var assembly = Load();
        var tasks = Graph(assembly, "RunFlow").Nodes.Select(n => n.Task!).ToDictionary(t => t.Name);

        Assert.All(tasks.Values, t => Assert.Matches("^[0-9a-f]{32}$", t.CodeHash));
        Assert.Equal(3, tasks.Values.Select(t => t.CodeHash).Distinct().Count());
        Assert.Equal((true, TimeSpan.FromMinutes(10), "prices"), (tasks["Price"].Checkpoint, tasks["Price"].CacheFor, tasks["Price"].CacheKey));
        Assert.Equal((false, TimeSpan.Zero, "Shop.Steps.Stamp"), (tasks["Stamp"].Checkpoint, tasks["Stamp"].CacheFor, tasks["Stamp"].CacheKey));
        Assert.Equal(new TimeSpan(1, 0, 0, 0, 500), tasks["Later"].CacheFor);
        Assert.True(tasks["Price"].IsCached);
        Assert.False(tasks["Stamp"].IsCached);
    }

    [Fact]
    public void Every_generated_graph_has_a_hash_of_32_hex_characters_and_they_differ()
    {
        using var assembly = Load();
        var hashes = new[] { "RunFlow", "NoneFlow", "QuietFlow", "OpaqueFlow" }.Select(c => Graph(assembly, c).Hash).ToList();

        Assert.All(hashes, h => Assert.Matches("^[0-9a-f]{32}$", h));
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void ResumeAsync_takes_executor_runId_cancellationToken_and_options_and_returns_the_flows_run()
    {
        using var assembly = Load();

        var typed = assembly.Type("Shop.Orders+RunFlow").GetMethod("ResumeAsync")!;
        var untyped = assembly.Type("Shop.Orders+QuietFlow").GetMethod("ResumeAsync")!;

        Assert.Equal(new[] { "executor", "runId", "cancellationToken", "options" }, typed.GetParameters().Select(p => p.Name));
        Assert.Equal(new[] { typeof(FlowExecutor), typeof(string), typeof(CancellationToken), typeof(FlowRunOptions) }, typed.GetParameters().Select(p => p.ParameterType));
        Assert.True(typed.GetParameters()[2].HasDefaultValue && typed.GetParameters()[3].HasDefaultValue);
        Assert.Equal(typeof(Task<FlowRun<int>>), typed.ReturnType);
        Assert.Equal(typeof(Task<FlowRun>), untyped.ReturnType);
    }

    [Fact]
    public void ResumeAsync_is_documented()
    {
        var file = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(Source).Result)["Shop.Orders.Run.Flow.g.cs"];

        Assert.Contains("/// Resumes the stored run <paramref name=\"runId\"/>", file, StringComparison.Ordinal);
        Assert.Contains("=> global::Flows.Graph.FlowRunner.ResumeAsync<int>(s_graph, executor, runId, options, cancellationToken);", file, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_whose_parameter_has_no_serializer_gets_no_arguments_codec()
    {
        using var assembly = Load();

        Assert.Null(Graph(assembly, "OpaqueFlow").ArgumentsCodec);
        Assert.NotNull(Graph(assembly, "OpaqueFlow").Hash);
    }

    internal static LoadedAssembly Load() => new(GeneratorHarness.Run(Source).Output);

    internal static FlowGraph Graph(LoadedAssembly assembly, string flowClass) =>
        (FlowGraph)assembly.StaticProperty("Shop.Orders+" + flowClass, "Graph")!;
}
