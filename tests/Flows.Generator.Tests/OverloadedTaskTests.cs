using Flows.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>
/// Overloaded tasks, in source and in a referenced assembly (the built-in <c>Shell.Run</c>): each overload is a task of
/// its own, with an id that carries its parameter types; a task that is not overloaded keeps its plain id.
/// </summary>
public sealed class OverloadedTaskTests
{
    private const string Source = """
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Lib
        {
            public static partial class Math
            {
                [Task] public static int Add(int a, int b) => a + b;
                [Task] public static int Add(string text) => text.Length;
                [Task] public static int Single(int a) => a;

                // Not a task: it does not make Twice an overloaded task.
                public static int Twice(string text) => 2 * text.Length;
                [Task] public static int Twice(int a) => 2 * a;

                [Flow]
                public static int Both(int a, string text)
                {
                    var x = Add(a, a);
                    var y = Add(text);
                    var z = Single(x);
                    return Add(Twice(y), z);
                }

                [Flow]
                public static async Task<ShellResult> Shelled(string command, ShellOptions options, CancellationToken ct)
                {
                    var first = await Shell.Run(command, ct);
                    return await Shell.Run(command, options, ct);
                }
            }
        }
        """;

    [Fact]
    public void Overloaded_tasks_get_ids_with_their_parameter_types_and_other_tasks_keep_plain_ids()
    {
        var (_, result) = GeneratorHarness.Run(Source);
        var registry = GeneratorHarness.GeneratedFiles(result)["Flows.TaskRegistry.g.cs"];

        Assert.Contains("id: \"Lib.Math.Add(int, int)\",", registry, StringComparison.Ordinal);
        Assert.Contains("id: \"Lib.Math.Add(string)\",", registry, StringComparison.Ordinal);
        Assert.Contains("id: \"Lib.Math.Single\",", registry, StringComparison.Ordinal);
        Assert.Contains("id: \"Lib.Math.Twice\",", registry, StringComparison.Ordinal);
        Assert.Contains("id: \"Flows.Shell.Run(string, System.Threading.CancellationToken)\",", registry, StringComparison.Ordinal);
        Assert.Contains("id: \"Flows.Shell.Run(string, Flows.ShellOptions, System.Threading.CancellationToken)\",", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_code_for_overloads_compiles_with_no_diagnostics_at_all()
    {
        var (output, _) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
    }

    [Fact]
    public void Each_overload_has_its_own_descriptor_in_the_graph_and_in_the_registry()
    {
        var (output, _) = GeneratorHarness.Run(Source);
        using var assembly = new LoadedAssembly(output);

        var graph = (FlowGraph)assembly.StaticProperty("Lib.Math+BothFlow", "Graph")!;
        var tasks = graph.Nodes.Select(n => n.Task!).ToArray();
        Assert.Equal(new[] { "Add", "Add#2", "Single", "Twice", "Add#3" }, graph.Nodes.Select(n => n.Name));
        Assert.Equal(new[] { "Lib.Math.Add(int, int)", "Lib.Math.Add(string)", "Lib.Math.Single", "Lib.Math.Twice", "Lib.Math.Add(int, int)" }, tasks.Select(t => t.Id));
        Assert.Same(tasks[0], tasks[4]);
        Assert.NotSame(tasks[0].Codec, tasks[1].Codec);

        var registry = (ITaskRegistry)Activator.CreateInstance(assembly.Type("Flows.Generated.FlowsUnderTest.FlowTaskRegistry"))!;
        Assert.Same(tasks[1], registry.Find("Lib.Math.Add(string)"));
        var shell = (FlowGraph)assembly.StaticProperty("Lib.Math+ShelledFlow", "Graph")!;
        Assert.Equal(
            new[] { "Flows.Shell.Run(string, System.Threading.CancellationToken)", "Flows.Shell.Run(string, Flows.ShellOptions, System.Threading.CancellationToken)" },
            shell.Nodes.Select(n => n.Task!.Id));
        Assert.All(shell.Nodes, n => Assert.NotNull(n.Task!.Codec));
        Assert.All(shell.Nodes, n => Assert.Same(n.Task, registry.Find(n.Task!.Id)));
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_for_overloads_and_shell_tasks_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(Source);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public sealed class Unrelated { public int Value => 3; }", GeneratorHarness.ParseOptions)));

        var result = driver.GetRunResult().Results.Single();
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"An output was {output.Reason}."));
        Assert.All(result.TrackedSteps[FlowGeneratorSteps.FlowModels].SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"A flow model was {output.Reason}."));
    }
}
