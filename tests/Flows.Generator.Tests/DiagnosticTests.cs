namespace Flows.Generator.Tests;

/// <summary>Every rule fires at the offending syntax, and stays quiet for the allowed near-miss.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public Task FLOW001_fires_on_an_instance_flow() => AnalyzerVerifier.VerifyAsync("""
        public partial class F
        {
            [Flow] public string[] {|FLOW001:Run|}(string p) => T.Load(p);
        }
        """);

    [Fact]
    public Task FLOW001_is_quiet_for_a_static_flow() => AnalyzerVerifier.VerifyAsync("""
        public partial class F
        {
            [Flow] public static string[] Run(string p) => T.Load(p);
        }
        """);

    [Fact]
    public Task FLOW002_fires_when_a_containing_type_is_not_partial() => AnalyzerVerifier.VerifyAsync("""
        public static class Outer
        {
            public static partial class F
            {
                [Flow] public static string[] {|FLOW002:Run|}(string p) => T.Load(p);
            }
        }
        """);

    [Fact]
    public Task FLOW002_is_quiet_when_every_containing_type_is_partial() => AnalyzerVerifier.VerifyAsync("""
        public static partial class Outer
        {
            public static partial class F
            {
                [Flow] public static string[] Run(string p) => T.Load(p);
            }
        }
        """);

    [Fact]
    public Task FLOW003_fires_on_a_generic_flow_and_a_flow_in_a_generic_type() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static string[] {|FLOW003:Run|}<X>(string p) => T.Load(p);
        }

        public partial class G<X>
        {
            [Flow] public static string[] {|FLOW003:Run|}(string p) => T.Load(p);
        }
        """);

    [Fact]
    public Task FLOW003_is_quiet_for_a_non_generic_flow_that_maps_with_the_generic_Flow_Map() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static int[] Run(string[] lines) => Flow.Map(T.Length, lines);
        }
        """);

    [Fact]
    public Task FLOW004_fires_on_a_task_returning_flow_that_is_not_async_and_on_a_ref_parameter() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static Task<string[]> {|FLOW004:Run|}(string p, CancellationToken ct) => T.Fetch(p, ct);

            [Flow] public static string[] {|FLOW004:Other|}(ref string p) => T.Load(p);
        }
        """);

    [Fact]
    public Task FLOW004_is_quiet_for_an_async_flow() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static async Task<string[]> Run(string p, CancellationToken ct) => await T.Fetch(p, ct);
        }
        """);

    [Fact]
    public Task FLOW005_fires_on_loops_throw_using_and_lock() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static int Run(string p)
            {
                {|FLOW005:for (var i = 0; i < 2; i++) { }|}
                {|FLOW005:while (p.Length > 0) { }|}
                {|FLOW005:lock (p) { }|}
                {|FLOW005:throw new InvalidOperationException();|}
            }
        }
        """);

    [Fact]
    public Task FLOW005_is_quiet_for_declarations_calls_const_locals_and_a_final_return() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static int Run(string p)
            {
                const string Suffix = "x";
                var lines = T.Load(Suffix);
                T.Load(p);
                return T.Count(lines);
            }
        }
        """);

    [Fact]
    public Task FLOW006_fires_on_a_step_that_is_not_a_call() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                var n = {|FLOW006:p.Length|};
                Func<int> f = {|FLOW006:() => 1|};
            }

            [Flow]
            public static int Returns(string p) => {|FLOW006:T.Load(p).Length|};
        }
        """);

    [Fact]
    public Task FLOW006_is_quiet_for_a_discarded_task_call() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                _ = T.Load(p);
            }
        }
        """);

    [Fact]
    public Task FLOW007_fires_on_a_call_of_a_plain_method() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                {|FLOW007:Console.WriteLine(p)|};
                var n = {|FLOW007:T.Helper(p)|};
            }
        }
        """);

    [Fact]
    public Task FLOW007_is_quiet_for_task_and_flow_calls() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static string[] Child(string p) => T.Load(p);

            [Flow]
            public static void Run(string p)
            {
                var lines = Child(p);
                T.Count(lines);
            }
        }
        """);

    [Fact]
    public Task FLOW008_fires_on_an_expression_or_a_token_as_an_argument() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p, CancellationToken ct)
            {
                T.Load({|FLOW008:p + "x"|});
                T.Show({|FLOW008:ct|});
            }
        }
        """);

    [Fact]
    public Task FLOW008_is_quiet_for_parameters_locals_constants_and_defaults() => AnalyzerVerifier.VerifyAsync("""
        public enum Mode { A, B }

        public static partial class F
        {
            private const string Path = "p";

            [Flow]
            public static void Run(string p)
            {
                var lines = T.Load(p);
                T.Count(lines);
                T.Load(Path);
                T.Load(nameof(Run));
                T.Show(Mode.B);
                T.Show(null!);
                T.Show(default(DateTime));
            }
        }
        """);

    [Fact]
    public Task FLOW009_fires_when_a_result_is_used_outside_a_task_call() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static int Run(string p)
            {
                var lines = T.Load(p);
                T.Length({|FLOW009:lines[0]|});
                return {|FLOW009:lines.Length|};
            }
        }
        """);

    [Fact]
    public Task FLOW009_is_quiet_when_a_result_is_passed_whole_or_returned() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static string[] Run(string p)
            {
                var lines = T.Load(p);
                T.Count(lines);
                return lines;
            }
        }
        """);

    [Fact]
    public Task FLOW010_fires_on_reassigning_a_parameter_or_updating_a_local() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p, int n)
            {
                {|FLOW010:p = "c"|};
                var m = T.Length(p);
                {|FLOW010:m += 1|};
                {|FLOW010:m++|};
            }
        }
        """);

    [Fact]
    public Task FLOW010_is_quiet_for_a_local_given_a_new_value_as_a_whole() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                var lines = T.Load(p);
                lines = T.Load("b");
                T.Count(lines);
            }
        }
        """);

    [Fact]
    public Task FLOW010_is_quiet_for_a_new_local() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                var lines = T.Load(p);
                var more = T.Load("b");
            }
        }
        """);

    [Fact]
    public Task FLOW011_fires_on_an_async_task_call_that_is_not_awaited() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                {|FLOW011:T.Fetch(p, default)|};
            }
        }
        """);

    [Fact]
    public Task FLOW011_is_quiet_for_an_awaited_call_with_ConfigureAwait() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string p, CancellationToken ct)
            {
                var lines = await T.Fetch(p, ct).ConfigureAwait(false);
                T.Count(lines);
            }
        }
        """);

    [Fact]
    public Task FLOW012_fires_on_awaiting_a_value_that_is_not_a_call() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(Task<string[]> pending)
            {
                var lines = {|FLOW012:await pending|};
            }
        }
        """);

    [Fact]
    public Task FLOW012_is_quiet_for_awaiting_an_async_task() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string p)
            {
                var lines = await T.Fetch(p, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task FLOW013_fires_on_the_declaration_and_the_call_of_a_generic_task() => AnalyzerVerifier.VerifyAsync("""
        public static class G
        {
            [Task] public static X {|FLOW013:Id|}<X>(X x) => x;
            [Task] public static void {|FLOW013:Out|}(out int x) => x = 1;
        }

        public static partial class F
        {
            [Flow]
            public static string Run(string p) => {|FLOW013:G.Id(p)|};
        }
        """);

    [Fact]
    public Task FLOW013_is_quiet_for_static_non_generic_tasks() => AnalyzerVerifier.VerifyAsync("""
        public static class G
        {
            [Task] public static string Id(string x) => x;
            [Task] public static ValueTask<int> Later(string x) => new ValueTask<int>(x.Length);
        }
        """);

    [Fact]
    public Task FLOW014_fires_on_a_result_that_needs_a_numeric_conversion() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static long Run(string p)
            {
                var lines = T.Load(p);
                var count = T.Count(lines);
                return T.Wide({|FLOW014:count|});
            }
        }
        """);

    [Fact]
    public Task FLOW014_is_quiet_for_reference_and_boxing_conversions_and_converted_constants() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static object Run(string p)
            {
                var lines = T.Load(p);
                var count = T.Count(lines);
                T.Show(count);
                T.Show(lines);
                T.Wide(3);
                return lines;
            }
        }
        """);

    [Fact]
    public Task FLOW015_fires_on_a_token_that_is_not_the_flows_own() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string p)
            {
                var lines = await T.Fetch(p, {|FLOW015:new CancellationTokenSource().Token|});
            }
        }
        """);

    [Fact]
    public Task FLOW015_is_quiet_for_the_flows_token_default_and_None() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string p, CancellationToken ct)
            {
                var a = await T.Fetch(p, ct);
                var b = await T.Fetch(p, default);
                var c = await T.Fetch(p, CancellationToken.None);
            }
        }
        """);

    [Fact]
    public Task FLOW016_fires_on_mapping_a_lambda_or_a_plain_method() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static void Run(string[] lines)
            {
                var a = Flow.Map({|FLOW016:s => s.Length|}, lines);
                var b = Flow.Map({|FLOW016:T.Helper|}, lines);
            }
        }
        """);

    [Fact]
    public Task FLOW016_is_quiet_for_mapping_sync_and_async_tasks() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static async Task Run(string[] urls, CancellationToken ct)
            {
                var a = Flow.Map(T.Length, urls);
                var b = await Flow.Map(T.Fetch, urls, ct);
            }
        }
        """);

    [Fact]
    public Task FLOW017_fires_on_recursive_flows_and_on_calls_of_a_refused_flow() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static string[] A(string p) => {|FLOW017:B(p)|};

            [Flow] public static string[] B(string p) => {|FLOW017:A(p)|};

            [Flow] public static string[] Self(string p) => {|FLOW017:Self(p)|};

            [Flow]
            public static string[] Broken(string p)
            {
                {|FLOW005:while (p.Length > 1) { }|}
                return T.Load(p);
            }

            [Flow] public static string[] CallsBroken(string p) => {|FLOW017:Broken(p)|};
        }
        """);

    [Fact]
    public Task FLOW017_is_quiet_for_a_chain_of_valid_subflows() => AnalyzerVerifier.VerifyAsync("""
        public static partial class F
        {
            [Flow] public static string[] A(string p) => B(p);

            [Flow] public static string[] B(string p) => C(p);

            [Flow] public static string[] C(string p) => T.Load(p);
        }
        """);

    [Fact]
    public Task The_sample_flows_get_no_diagnostics() => AnalyzerVerifier.VerifyAsync(SampleFlows.All);
}
