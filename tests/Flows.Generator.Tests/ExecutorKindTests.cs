using System.Collections.Immutable;
using System.Reflection;
using Flows.Generator.Analyzers.ThreadSafety;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Flows.Generator.Tests;

/// <summary>
/// The analyzers know an executor by the <c>[ExecutorKind]</c> of the static type passed to
/// <c>RunAsync</c> (or of its nearest base class that declares one), never by its name: an executor
/// of one's own gets the checks of the kind it declares, and a class that only shares a name with a
/// Flows executor gets none.
/// </summary>
public sealed class ExecutorKindTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using Flows;

        public sealed record Row(string Text, Func<string, int> Parser);

        public static partial class T
        {
            [Task] public static int Append(List<int> items) { items.Add(1); return items.Count; }
            [Task] public static int Count(List<int> items) => items.Count;
            [Task] public static Row[] Parse(string[] lines) => Array.ConvertAll(lines, l => new Row(l, int.Parse));
            [Task] public static int Rows(Row[] rows) => rows.Length;

            // On threads: two overlapping tasks, one writes what the other reads (FLOW201).
            [Flow]
            public static int Shared(List<int> items)
            {
                var a = Append(items);
                return Count(items);
            }

            // Out of process: tasks whose values cannot be serialized (FLOW102, once per task).
            [Flow]
            public static int Unserializable(string[] lines)
            {
                var rows = Parse(lines);
                return Rows(rows);
            }
        }

        public abstract class TestExecutor : FlowExecutor
        {
            public override string Name => GetType().Name;
            public override int MaxParallelism => 1;
            protected override WorkDispatcher BeginRun() => throw new NotSupportedException();
        }

        [ExecutorKind(ExecutorKinds.Threads)] public sealed class MyThreads : TestExecutor { }
        [ExecutorKind(ExecutorKinds.Threads)] public abstract class PoolBase : TestExecutor { }
        public sealed class Pool : PoolBase { }
        [ExecutorKind(ExecutorKinds.Inline)] public sealed class QuietPool : PoolBase { }
        [ExecutorKind(ExecutorKinds.Processes)] public sealed class MyProcesses : TestExecutor { }
        [ExecutorKind(ExecutorKinds.Cluster)] public sealed class MyCluster : TestExecutor { }
        [ExecutorKind(ExecutorKinds.Threads | ExecutorKinds.Processes)] public sealed class MyHybrid : TestExecutor { }
        [ExecutorKind(ExecutorKinds.Inline)] public sealed class MyInline : TestExecutor { }
        public sealed class Unmarked : TestExecutor { }

        namespace Elsewhere
        {
            // The names of the Flows executors, without their [ExecutorKind].
            public sealed class ThreadExecutor : TestExecutor { }
            public sealed class ProcessExecutor : TestExecutor { }
            public sealed class ClusterExecutor : TestExecutor { }
        }

        namespace Flows
        {
            // Even the full name of a Flows executor (Flows.Cluster is not referenced here) is not a kind.
            public sealed class ClusterExecutor : TestExecutor { }
        }
        """;

    [Theory]
    [InlineData("MyThreads")]
    [InlineData("Pool")]
    public async Task An_executor_of_kind_Threads_gets_the_thread_safety_diagnostics_that_ThreadExecutor_gets(string executor)
    {
        var expected = await Analyze("ThreadExecutor");
        Assert.Contains(expected, d => d.Id == "FLOW201");
        Assert.DoesNotContain(expected, d => d.Id == "FLOW102");

        var actual = await Analyze(executor);

        Assert.Equal(Keys(expected), Keys(actual));
        Assert.All(actual, d => Assert.Contains($"it is run with a {executor} at Source1.cs(", d.GetMessage(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("MyProcesses")]
    [InlineData("MyCluster")]
    public async Task An_executor_of_an_out_of_process_kind_gets_the_serializability_check_that_ProcessExecutor_gets(string executor)
    {
        var expected = await Analyze("ProcessExecutor"); // the real one, from Flows.Runtime
        Assert.Equal(new[] { "FLOW102", "FLOW102" }, expected.Select(d => d.Id));

        var actual = await Analyze(executor);

        Assert.Equal(Keys(expected), Keys(actual));
        Assert.All(actual, d => Assert.Contains($"Flow 'Unserializable' is run on {executor}, but its task", d.GetMessage(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_executor_of_several_kinds_gets_the_checks_of_each()
    {
        var expected = Keys(await Analyze("ThreadExecutor")).Concat(Keys(await Analyze("ProcessExecutor")));

        var actual = await Analyze("MyHybrid");

        Assert.Equal(expected.Order(), Keys(actual).Order());
    }

    [Theory]
    [InlineData("Elsewhere.ThreadExecutor")]
    [InlineData("Elsewhere.ProcessExecutor")]
    [InlineData("Elsewhere.ClusterExecutor")]
    [InlineData("Flows.ClusterExecutor")]
    [InlineData("Unmarked")]
    [InlineData("MyInline")]
    [InlineData("QuietPool")] // its own Inline wins over the Threads of its base class
    [InlineData("LocalExecutor")]
    [InlineData("FlowExecutor")]
    public async Task An_executor_without_a_kind_that_needs_checks_gets_none_whatever_its_name(string executor)
    {
        Assert.Empty(await Analyze(executor));
    }

    [Theory]
    [InlineData(typeof(LocalExecutor), global::Flows.ExecutorKinds.Inline)]
    [InlineData(typeof(ThreadExecutor), global::Flows.ExecutorKinds.Threads)]
    [InlineData(typeof(ProcessExecutor), global::Flows.ExecutorKinds.Processes)]
    public void The_executors_Flows_ships_declare_their_kind(Type executor, global::Flows.ExecutorKinds kind)
    {
        Assert.Equal(kind, executor.GetCustomAttribute<ExecutorKindAttribute>()?.Kind);
    }

    [Fact]
    public void The_generator_compiles_the_runtimes_ExecutorKinds_as_an_internal_type_of_its_own()
    {
        var shared = typeof(ExecutorKinds);
        Assert.Equal(typeof(FlowGenerator).Assembly, shared.Assembly);
        Assert.False(shared.IsPublic);
        Assert.DoesNotContain(typeof(FlowGenerator).Assembly.GetExportedTypes(), t => t.Name == nameof(ExecutorKinds));
        Assert.Equal(
            Enum.GetValues<global::Flows.ExecutorKinds>().Select(k => (k.ToString(), (int)k)),
            Enum.GetValues<ExecutorKinds>().Select(k => (k.ToString(), (int)k)));
    }

    /// <summary>The prelude with a program that runs both flows on an executor of static type <paramref name="executor"/>; FLOW201 and FLOW102 only.</summary>
    private static async Task<ImmutableArray<Diagnostic>> Analyze(string executor)
    {
        var program = $$"""
            using System.Collections.Generic;
            using Flows;

            public static class Program
            {
                public static void Start({{executor}} executor, string[] lines, List<int> items)
                {
                    _ = T.SharedFlow.RunAsync(executor, items);
                    _ = T.UnserializableFlow.RunAsync(executor, lines);
                }
            }
            """;
        var (output, _) = GeneratorHarness.Run(Prelude, program);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var diagnostics = await output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ThreadSafetyAnalyzer(), new SerializationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();
        return diagnostics
            .Where(d => d.Id is "FLOW201" or "FLOW102")
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>Each diagnostic's rule and where it starts, which do not depend on the executor's name.</summary>
    private static IEnumerable<string> Keys(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan().Path}:{d.Location.GetLineSpan().StartLinePosition}");
}
