using System.Collections.Immutable;
using Flows.Generator.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>
/// The map rules (FLOW040 to FLOW045): a Flow.Map or Flow.TryMap call the compiler cannot bind gets
/// a located reason next to the compiler's CS0411, and the legal form is quiet. Both the map
/// analyzer and the flow-body analyzer run, as they do in a build.
/// </summary>
public sealed class MapDiagnosticTests
{
    private const string Tasks = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        public static class M
        {
            [Task] public static int Length(string line) => line.Length;
            [Task] public static long Scale(int x, long factor) => x * factor;
            [Task] public static void Log(string line) { }
            [Task] public static Task Notify(string line) => Task.CompletedTask;
            [Task] public static ValueTask<int> CountAsync(string line) => new(line.Length);
            [Task] public static string Five(string a, int b, int c, int d, int e) => a;
            [Task] public static string Four(string a, int b, int c, int d) => a;
            [Task] public static async Task<string> Download(string url, string token, CancellationToken ct)
            {
                await Task.Yield();
                return url + token;
            }
        }

        """;

    [Fact]
    public Task FLOW040_fires_on_a_task_whose_first_parameter_does_not_take_the_elements() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(int[] counts)
            {
                var a = Flow.{|CS0411:Map|}({|FLOW040:M.Length|}, counts);
                var b = Flow.{|CS0411:TryMap|}({|FLOW040:M.Length|}, counts);
            }
        }
        """);

    [Fact]
    public Task FLOW040_is_quiet_when_the_task_takes_the_elements() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string[] lines, List<string> more)
            {
                var a = Flow.Map(M.Length, lines);
                var b = Flow.TryMap(M.Length, more);
            }
        }
        """);

    [Fact]
    public Task FLOW041_fires_when_a_whole_argument_is_missing_or_extra() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string[] urls, string token, string[] lines, CancellationToken ct)
            {
                var a = await {|FLOW041:Flow.{|CS0411:Map|}(M.Download, urls, ct)|};
                var b = {|FLOW041:Flow.{|CS0411:Map|}(M.Length, lines, token)|};
            }
        }
        """);

    [Fact]
    public Task FLOW041_is_quiet_with_one_whole_argument_per_parameter_and_the_token() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string[] urls, string token, CancellationToken ct)
            {
                var a = await Flow.Map(M.Download, urls, token, ct);
                var b = await Flow.TryMap(M.Download, urls, token);
            }
        }
        """);

    [Fact]
    public Task FLOW042_fires_on_a_whole_argument_of_another_type() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(int[] xs)
            {
                var a = Flow.Map({|CS0123:M.Scale|}, xs, {|FLOW042:2|});
            }
        }
        """);

    [Fact]
    public Task FLOW042_is_quiet_for_a_whole_argument_of_the_parameters_type() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(int[] xs, long factor)
            {
                var a = Flow.Map(M.Scale, xs, 2L);
                var b = Flow.TryMap(M.Scale, xs, factor);
            }
        }
        """);

    [Fact]
    public Task FLOW043_fires_on_a_task_with_no_result_to_collect() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string[] lines)
            {
                var a = Flow.{|CS0411:Map|}({|FLOW043:M.Log|}, lines);
                var b = Flow.Map({|FLOW043:M.Notify|}, lines);
                var c = Flow.TryMap({|FLOW043:M.CountAsync|}, lines);
            }
        }
        """);

    [Fact]
    public Task FLOW043_is_quiet_for_a_value_and_an_awaited_Task_of_a_value() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string[] lines, string token)
            {
                var a = Flow.Map(M.Length, lines);
                var b = await Flow.Map(M.Download, lines, token);
            }
        }
        """);

    [Fact]
    public Task FLOW044_fires_on_a_task_that_needs_more_than_three_whole_arguments() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string[] lines)
            {
                var a = Flow.{|CS0411:Map|}({|FLOW044:M.Five|}, lines, 1, 2, 3, 4);
            }
        }
        """);

    [Fact]
    public Task FLOW044_is_quiet_for_three_whole_arguments() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string[] lines, int width)
            {
                var a = Flow.Map(M.Four, lines, 1, width, 3);
                var b = Flow.TryMap(M.Four, lines, 1, width, 3);
            }
        }
        """);

    [Fact]
    public Task FLOW045_fires_on_a_collection_that_is_not_a_sequence() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(int count)
            {
                var a = Flow.{|CS0411:Map|}(M.Length, {|FLOW045:count|});
            }
        }
        """);

    [Fact]
    public Task FLOW045_is_quiet_for_any_sequence_of_the_elements() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(IReadOnlyList<string> lines, HashSet<string> set)
            {
                var a = Flow.Map(M.Length, lines);
                var b = Flow.TryMap(M.Length, set);
            }
        }
        """);

    [Fact]
    public Task A_lambda_that_does_not_bind_is_refused_in_a_flow_body_and_left_to_the_compiler_elsewhere() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string[] lines)
            {
                var a = Flow.{|CS0411:TryMap|}({|FLOW016:s => null|}, lines);
            }

            [Flow]
            public static void Bound(string[] lines)
            {
                var a = Flow.Map({|FLOW016:s => s.{|CS1061:Nope|}|}, lines);
            }

            public static void Eager(string[] lines)
            {
                var a = Flow.{|CS0411:TryMap|}(s => null, lines);
            }
        }
        """);

    [Fact]
    public async Task The_reason_names_the_task_the_parameters_and_the_call_to_write()
    {
        var diagnostics = await AnalyzeAsync("""
            public static partial class F
            {
                [Flow]
                public static async Task Run(string[] urls, CancellationToken ct) => _ = await Flow.Map(M.Download, urls, ct);
            }
            """);

        var diagnostic = Assert.Single(diagnostics, d => d.Id == "FLOW041");
        Assert.Equal(
            "Flow.Map: after the element, 'Download' takes 1 parameter (string token), but no whole argument is passed: pass one whole argument per parameter after the first, in order, as in Flow.Map(M.Download, urls, token, ct)",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_CancellationToken_after_the_whole_arguments_binds_the_token_overload()
    {
        var compilation = GeneratorHarness.Compilation(Tasks + """
            public static class Calls
            {
                public static Task<string[]> Map(string[] urls, string token, CancellationToken ct) => Flow.Map(M.Download, urls, token, ct);
                public static Task<Outcome<string>[]> TryMap(string[] urls, string token, CancellationToken ct) => Flow.TryMap(M.Download, urls, token, ct);
            }
            """);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);

        var bound = tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(i => model.GetSymbolInfo(i).Symbol)
            .OfType<IMethodSymbol>()
            .Where(m => m.Name is "Map" or "TryMap")
            .ToList();

        Assert.Equal(2, bound.Count);
        Assert.All(bound, m =>
        {
            Assert.Equal("cancellationToken", m.Parameters[^1].Name);
            Assert.Equal(3, m.OriginalDefinition.TypeParameters.Length);
        });
    }

    private static Task VerifyAsync(string source)
    {
        // Both analyzers declare the map rules (the parser reports FLOW043 too): either descriptor will do.
        var test = new BothAnalyzersTest { ReferenceAssemblies = TestReferences.None, MarkupOptions = MarkupOptions.UseFirstDescriptor };
        test.TestState.Sources.Add(Tasks + source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        return test.RunAsync();
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
    {
        var compilation = GeneratorHarness.Compilation(Tasks + source);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new MapCallAnalyzer(), new FlowBodyAnalyzer());
        return await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>The map analyzer with the flow-body analyzer beside it, as a build runs them.</summary>
    private sealed class BothAnalyzersTest : CSharpAnalyzerTest<MapCallAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => [new MapCallAnalyzer(), new FlowBodyAnalyzer()];
    }
}
