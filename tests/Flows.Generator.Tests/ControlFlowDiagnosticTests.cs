namespace Flows.Generator.Tests;

/// <summary>The flow language's control flow: each refusal fires where it should, and each legal form is quiet.</summary>
public sealed class ControlFlowDiagnosticTests
{
    private const string Checks = """
        public enum Mode { Fast, Careful }

        public static class C
        {
            [Task] public static bool IsOk(string p) => p.Length > 0;
            [Task] public static Mode ModeOf(string p) => Mode.Fast;
            [Task] public static double Ratio(string p) => 0.5;
            [Task] public static (int Low, int High) Bounds(string[] lines) => (0, lines.Length);
            [Task] public static void Cleanup(string p) { }
        }

        """;

    private static Task Verify(string source) => AnalyzerVerifier.VerifyAsync(Checks + source);

    [Fact]
    public Task The_legal_forms_of_branches_tries_tuples_and_order_are_quiet() => Verify("""
        public static partial class F
        {
            [Flow]
            public static int Run(string p, bool strict, Mode mode, int n)
            {
                var lines = T.Load(p);
                string[] chosen;
                if (!strict)
                {
                    chosen = T.Load("lenient");
                }
                else if (C.IsOk(p))
                {
                    chosen = lines;
                }
                else
                {
                    return T.Count(lines);
                }

                switch (mode)
                {
                    case Mode.Fast:
                        T.Show(p);
                        break;
                    default:
                        break;
                }

                switch (C.ModeOf(p))
                {
                    case Mode.Careful:
                        return n;
                }

                var total = 0;
                try
                {
                    total = T.Count(T.Load(p));
                }
                catch (InvalidOperationException)
                {
                    total = T.Count(chosen);
                }
                catch
                {
                    total = n;
                }
                finally
                {
                    C.Cleanup(p);
                }

                var (low, high) = C.Bounds(chosen);
                Flow.After(high);
                if (C.IsOk(p)) { return low; }
                return total;
            }
        }
        """);

    [Fact]
    public Task FLOW018_fires_on_a_condition_that_is_not_a_bool_step_parameter_or_local() => Verify("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p, bool a, bool b)
            {
                if ({|FLOW018:a && b|}) { T.Show(p); }
                if ({|FLOW018:p.Length > 2|}) { T.Show(p); }
                if ({|FLOW018:true|}) { T.Show(p); }
            }
        }
        """);

    [Fact]
    public Task FLOW019_fires_on_a_switch_on_a_double_a_pattern_or_a_jump_inside_a_section() => Verify("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p, int n)
            {
                switch ({|FLOW019:C.Ratio(p)|})
                {
                    default:
                        break;
                }

                switch (n)
                {
                    {|FLOW019:case > 3:|}
                        T.Show(p);
                        break;
                }

                switch (n)
                {
                    case 1:
                        {|FLOW019:goto case 2;|}
                    case 2:
                        T.Show(p);
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task FLOW020_fires_on_an_exception_filter_and_a_throw_in_a_catch() => Verify("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                try { T.Show(p); }
                catch (Exception ex) {|FLOW020:when (ex.Message.Length > 0)|} { T.Show("x"); }

                try { T.Show(p); }
                catch (Exception) { {|FLOW020:throw;|} }
            }
        }
        """);

    [Fact]
    public Task FLOW022_fires_on_a_local_assigned_in_a_try_and_read_in_its_catch_or_finally_or_on_the_caught_exception() => Verify("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                var lines = T.Load(p);
                try
                {
                    lines = T.Load("again");
                }
                catch (Exception ex)
                {
                    T.Count({|FLOW022:lines|});
                    T.Show({|FLOW022:ex|});
                }
                finally
                {
                    T.Count({|FLOW022:lines|});
                }
            }
        }
        """);

    [Fact]
    public Task FLOW023_fires_on_Flow_After_of_a_parameter_or_a_constant() => Verify("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                Flow.After({|FLOW023:p|});
                Flow.After({|FLOW023:3|});
                T.Show(p);
            }
        }
        """);

    [Fact]
    public Task FLOW024_fires_on_a_nested_deconstruction() => Verify("""
        public static partial class F
        {
            [Flow]
            public static void Run(string p)
            {
                {|FLOW024:var (a, (b, c))|} = (1, (2, 3));
            }
        }
        """);
}
