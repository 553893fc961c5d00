using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Generator.Tests;

/// <summary>
/// FLOW101 and FLOW102: a value that cannot be serialized is reported where a flow may leave the
/// process, naming the type, the member path and what to do; never where it only runs on threads.
/// </summary>
public sealed class SerializationDiagnosticTests
{
    private const string Types = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;
        using Flows;

        public sealed record Row(string Text, Func<string, int> Parser);

        public sealed record Clean(string Text, List<int> Numbers);

        public readonly struct Opaque
        {
            public Opaque(int raw) => Value = raw;

            public int Value { get; }
        }

        public static class T
        {
            [Task] public static Row[] Parse(string[] lines) => Array.ConvertAll(lines, l => new Row(l, int.Parse));
            [Task] public static int Count(Row[] rows) => rows.Length;
            [Task] public static Clean Tidy(string text) => new Clean(text, new List<int>());
            [Task] public static int Size(Stream stream) => (int)stream.Length;
            [Task] public static string Show(object value) => "" + value;
            [Task] public static int Measure(IDisposable handle) => 1;
            [Task] public static int Weigh(Opaque opaque) => 1;
            [Task] public static int Grid(int[,] cells) => 1;
            [Task] public static int Wide((int, int, int, int, int, int, int, int) many) => 1;
        }

        namespace Flows
        {
            // Stand in for the real executors; the analyzer knows them by their [ExecutorKind].
            [ExecutorKind(ExecutorKinds.Processes)]
            public sealed class ProcessExecutor : FlowExecutor
            {
                public override string Name => "processes";
                public override int MaxParallelism => 1;
                protected override WorkDispatcher BeginRun() => throw new NotSupportedException();
            }

            [ExecutorKind(ExecutorKinds.Cluster)]
            public sealed class ClusterExecutor : FlowExecutor
            {
                public override string Name => "cluster";
                public override int MaxParallelism => 1;
                protected override WorkDispatcher BeginRun() => throw new NotSupportedException();
            }
        }

        """;

    [Fact]
    public void FLOW101_fires_at_the_task_call_of_a_flow_that_runs_on_processes_naming_the_member_path()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Flow(RunsOn = ExecutorKinds.Processes)]
                public static int Run(string[] lines)
                {
                    var rows = T.Parse(lines);
                    return T.Count(rows);
                }
            }
            """);

        Assert.Equal(new[] { "FLOW101", "FLOW101" }, diagnostics.Select(d => d.Id));
        Assert.Equal("T.Parse(lines)", Text(diagnostics[0]));
        Assert.Equal("T.Count(rows)", Text(diagnostics[1]));
        var message = diagnostics[0].GetMessage();
        Assert.Contains("Task 'Parse' cannot run in another process, which flow 'Run' allows with RunsOn = ExecutorKinds.Processes", message, StringComparison.Ordinal);
        Assert.Contains("its result is 'Row[]', and Row.Parser: Func<string, int> is a delegate, which is code, not data", message, StringComparison.Ordinal);
    }

    [Fact]
    public void FLOW101_fires_for_the_cluster_and_for_a_mapped_task()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Flow(RunsOn = ExecutorKinds.Cluster)]
                public static int[] Run(Row[][] batches) => Flow.Map(T.Count, batches);
            }
            """);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("FLOW101", diagnostic.Id);
        Assert.Equal("T.Count", Text(diagnostic));
        Assert.Contains("ExecutorKinds.Cluster", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void FLOW101_is_quiet_for_a_flow_that_runs_on_threads_or_does_not_say()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Flow(RunsOn = ExecutorKinds.Threads)]
                public static int OnThreads(string[] lines)
                {
                    var rows = T.Parse(lines);
                    return T.Count(rows);
                }

                [Flow]
                public static int Unspecified(string[] lines)
                {
                    var rows = T.Parse(lines);
                    return T.Count(rows);
                }

                public static System.Threading.Tasks.Task<FlowRun<int>> Start(string[] lines) =>
                    OnThreadsFlow.RunAsync(new ThreadExecutor(), lines);
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void FLOW101_is_quiet_for_serializable_tasks_out_of_process()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Flow(RunsOn = ExecutorKinds.OutOfProcess)]
                public static Clean Run(string text) => T.Tidy(text);
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void FLOW102_fires_at_a_RunAsync_call_with_a_ProcessExecutor_for_each_unserializable_task()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Flow]
                public static int Run(string[] lines)
                {
                    var rows = T.Parse(lines);
                    return T.Count(rows);
                }

                public static System.Threading.Tasks.Task<FlowRun<int>> Start(string[] lines) =>
                    RunFlow.RunAsync(new ProcessExecutor(), lines);
            }
            """);

        Assert.Equal(new[] { "FLOW102", "FLOW102" }, diagnostics.Select(d => d.Id));
        Assert.All(diagnostics, d => Assert.Equal("RunFlow.RunAsync(new ProcessExecutor(), lines)", Text(d)));
        Assert.Contains("Flow 'Run' is run on ProcessExecutor, but its task 'Parse' cannot run in another process: its result is 'Row[]', and Row.Parser: Func<string, int>", diagnostics[0].GetMessage(), StringComparison.Ordinal);
        Assert.Contains("its task 'Count' cannot run in another process: its parameter 'rows' is 'Row[]', and Row.Parser: Func<string, int>", diagnostics[1].GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void FLOW102_follows_subflows_and_judges_the_executor_by_its_static_type()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Flow]
                public static int Inner(string[] lines)
                {
                    var rows = T.Parse(lines);
                    return T.Count(rows);
                }

                [Flow] public static int Outer(string[] lines) => Inner(lines);

                public static void Start(string[] lines, ClusterExecutor cluster, FlowExecutor unknown)
                {
                    _ = OuterFlow.RunAsync(cluster, lines);
                    _ = OuterFlow.RunAsync(unknown, lines);
                    _ = OuterFlow.RunAsync(new ThreadExecutor(), lines);
                }
            }
            """);

        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal("OuterFlow.RunAsync(cluster, lines)", Text(d)));
        Assert.Contains("run on ClusterExecutor", diagnostics[0].GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("T.Size(null!)", "Stream is a stream, a handle on a resource")]
    [InlineData("T.Show(text)", "object has no known shape")]
    [InlineData("T.Measure(null!)", "IDisposable is an interface with no known shape")]
    [InlineData("T.Weigh(default)", "Opaque has members but none can be set")]
    [InlineData("T.Grid(null!)", "int[,] is a multi-dimensional array")]
    [InlineData("T.Wide(default)", "is a tuple of more than 7 items")]
    public void FLOW101_says_why_each_kind_of_type_cannot_be_serialized(string call, string expected)
    {
        var diagnostics = Analyze($$"""
            public static partial class F
            {
                [Flow(RunsOn = ExecutorKinds.Processes)]
                public static object Run(string text) => {{call}};
            }
            """);

        Assert.Contains(expected, Assert.Single(diagnostics).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void FLOW101_fires_for_a_private_task_which_the_registry_cannot_call()
    {
        var diagnostics = Analyze("""
            public static partial class F
            {
                [Task] private static int Secret(int x) => x;

                [Flow(RunsOn = ExecutorKinds.Processes)]
                public static int Run(int x) => Secret(x);
            }
            """);

        Assert.Contains("make the method (and the types around it) internal or public", Assert.Single(diagnostics).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unserializable_task_gets_no_codec_and_the_assembly_still_compiles()
    {
        var (output, result) = GeneratorHarness.Run(Types + """
            public static partial class F
            {
                [Flow]
                public static int Run(string[] lines)
                {
                    var rows = T.Parse(lines);
                    return T.Count(rows);
                }
            }
            """);

        var registry = GeneratorHarness.GeneratedFiles(result)["Flows.TaskRegistry.g.cs"];
        Assert.Contains("codec: null,", registry, StringComparison.Ordinal);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info && d.Id != "CS0436"));
    }

    private static ImmutableArray<Diagnostic> Analyze(string flows)
    {
        var (output, _) = GeneratorHarness.Run(Types + flows);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new SerializationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().Result
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    private static string Text(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
}
