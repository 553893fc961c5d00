using System.Buffers;
using System.Reflection;
using Flows.Graph;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// What the generator writes for <c>Flow.TryMap</c>, maps with whole arguments and tasks that take
/// <see cref="Outcome{T}"/>: it compiles with no diagnostics, and the graph is the flow body.
/// </summary>
public sealed class TolerantMapEmitTests
{
    /// <summary>Flows with TryMap and whole arguments, and a task that reads outcomes.</summary>
    public const string Source = """
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Maps
        {
            public sealed record Row(string Text);

            public static class Steps
            {
                [Task] public static Row Parse(string line) => line.Length == 0 ? throw new FormatException("empty line") : new Row(line);

                [Task] public static int Count(Outcome<Row>[] parts) => parts.Count(p => p.Succeeded);

                [Task] public static string Label(string line, string prefix, int width, char pad) => (prefix + line).PadRight(width, pad);

                [Task] public static int Width(string[] lines) => lines.Max(l => l.Length) + 2;

                [Task]
                public static async Task<string> Download(string url, string token, CancellationToken ct)
                {
                    await Task.Yield();
                    return url + "?" + token;
                }
            }

            public static partial class Tolerant
            {
                [Flow]
                public static int CountParsed(string[] lines)
                {
                    var parts = Flow.TryMap(Steps.Parse, lines);
                    return Steps.Count(parts);
                }

                [Flow]
                public static string[] Labels(string[] lines, string prefix)
                {
                    var width = Steps.Width(lines);
                    return Flow.Map(Steps.Label, lines, prefix, width, '.');
                }

                [Flow]
                public static async Task<Outcome<string>[]> DownloadAll(string[] urls, string token, CancellationToken ct) =>
                    await Flow.TryMap(Steps.Download, urls, token, ct);
            }
        }
        """;

    [Fact]
    public void Generated_code_compiles_with_no_diagnostics_at_all()
    {
        var (output, result) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        Assert.Equal(
            new[] { "Flows.FlowCatalog.g.cs", "Flows.Serializers.g.cs", "Flows.TaskRegistry.g.cs", "Maps.Tolerant.CountParsed.Flow.g.cs", "Maps.Tolerant.DownloadAll.Flow.g.cs", "Maps.Tolerant.Labels.Flow.g.cs" },
            GeneratorHarness.GeneratedFiles(result).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_TryMap_is_a_map_node_that_keeps_failures_and_a_Map_one_that_does_not()
    {
        var (_, result) = GeneratorHarness.Run(Source);
        var files = GeneratorHarness.GeneratedFiles(result);

        Assert.Contains("FlowNode.ForTryMap(\"Parse\", s_Parse, global::Flows.Graph.TryMapAdapter<string, global::Maps.Row>.Instance, 0)", files["Maps.Tolerant.CountParsed.Flow.g.cs"], StringComparison.Ordinal);
        Assert.Contains("FlowNode.ForMap(\"Label\", s_Label, global::Flows.Graph.MapAdapter<string, string>.Instance, ", files["Maps.Tolerant.Labels.Flow.g.cs"], StringComparison.Ordinal);
        Assert.Contains("Write_", files["Flows.Serializers.g.cs"], StringComparison.Ordinal);
        Assert.Contains("w.WriteFailure(error);", files["Flows.Serializers.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Whole_arguments_follow_the_collection_in_the_tasks_parameter_order_and_the_token_is_no_input()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);

        var labels = (FlowGraph)assembly.StaticProperty("Maps.Tolerant+LabelsFlow", "Graph")!;
        var download = (FlowGraph)assembly.StaticProperty("Maps.Tolerant+DownloadAllFlow", "Graph")!;

        // Parameters lines (0) and prefix (1), the constant '.' (2), then Width (3) and Label (4).
        var map = labels.Nodes[1];
        Assert.Equal((FlowNodeKind.Map, false), (map.Kind, map.KeepsElementFailures));
        Assert.Equal(new[] { 0, 1, 3, 2 }, map.InputSlots);
        var tolerant = Assert.Single(download.Nodes);
        Assert.True(tolerant.KeepsElementFailures);
        Assert.Equal(new[] { 0, 1 }, tolerant.InputSlots);
    }

    [Fact]
    public async Task The_graph_gives_what_the_eager_body_gives()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        using var executor = new LocalExecutor();
        string[] lines = ["a", "", "ccc"];

        var counted = (FlowRun)await InvokeAsync(assembly.Type("Maps.Tolerant+CountParsedFlow").GetMethod("RunAsync")!, executor, lines, CancellationToken.None, null);
        var labelled = (FlowRun)await InvokeAsync(assembly.Type("Maps.Tolerant+LabelsFlow").GetMethod("RunAsync")!, executor, lines, ">", CancellationToken.None, null);

        Assert.Equal(FlowState.Succeeded, counted.State);
        Assert.Equal(2, Result(counted));
        Assert.Equal(assembly.Type("Maps.Tolerant").GetMethod("CountParsed")!.Invoke(null, [lines]), Result(counted));
        Assert.Equal(new[] { ">a...", ">....", ">ccc." }, (string[])Result(labelled)!);
        Assert.Equal((string[])assembly.Type("Maps.Tolerant").GetMethod("Labels")!.Invoke(null, [lines, ">"])!, (string[])Result(labelled)!);
    }

    [Fact]
    public void A_task_that_takes_outcomes_gets_a_codec_that_carries_them()
    {
        using var assembly = new LoadedAssembly(GeneratorHarness.Run(Source).Output);
        var registry = (ITaskRegistry)Activator.CreateInstance(assembly.Assembly.GetCustomAttribute<TaskRegistryAttribute>()!.RegistryType)!;
        var codec = registry.Find("Maps.Steps.Count")!.Codec!;
        var row = Activator.CreateInstance(assembly.Type("Maps.Row"), "x")!;
        var outcomes = Array.CreateInstance(typeof(Outcome<>).MakeGenericType(row.GetType()), 1);
        outcomes.SetValue(typeof(Outcome<>).MakeGenericType(row.GetType()).GetMethod("Success")!.Invoke(null, [row]), 0);

        var buffer = new ArrayBufferWriter<byte>();
        codec.WriteArguments(TaskArguments.FromValues(outcomes), buffer);
        var read = Assert.Single(((Array)codec.ReadArguments(buffer.WrittenSpan)[0]!).Cast<object>());

        Assert.Equal(row, read.GetType().GetProperty("Value")!.GetValue(read));
    }

    private static object? Result(FlowRun run) => run.GetType().GetProperty("Result")!.GetValue(run);

    private static async Task<object> InvokeAsync(MethodInfo method, params object?[] arguments)
    {
        var task = (Task)method.Invoke(null, arguments)!;
        await task.WaitAsync(TimeSpan.FromSeconds(30));
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}
