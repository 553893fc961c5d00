namespace Flows.Generator.Tests;

/// <summary>
/// The rules for a task's <c>ILogger</c> (FLOW050, FLOW051, and FLOW008/FLOW013 where a logger is
/// misused): each fires at the offending syntax and stays quiet for what a run and a direct call agree on.
/// </summary>
public sealed class TaskLoggerDiagnosticTests
{
    private const string Usings = """
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Logging.Abstractions;

        """;

    private const string Tasks = """
        public static class L
        {
            [Task] public static int Parse(string line, ILogger log) => line.Length;
            [Task] public static int Typed(string line, ILogger<L2> log) => line.Length;
            [Task] public static int Both(string line, ILogger log, CancellationToken ct) => line.Length;
        }

        public sealed class L2 { }

        """;

    private static Task VerifyAsync(string source) => AnalyzerVerifier.VerifyAsync(new[] { Usings + AnalyzerVerifier.Prelude + Tasks + source });

    [Fact]
    public Task FLOW050_is_quiet_for_the_flows_logger_and_NullLogger_Instance() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static int[] Run(string p, string[] lines, ILogger log, CancellationToken ct)
            {
                var a = L.Parse(p, log);
                var b = L.Parse(p, NullLogger.Instance);
                var c = L.Typed(p, NullLogger<L2>.Instance);
                var d = L.Both(p, log, ct);
                return Flow.Map(L.Parse, lines, log);
            }
        }
        """);

    [Fact]
    public Task FLOW050_fires_on_null_and_on_a_logger_that_is_not_the_flows() => VerifyAsync("""
        public static partial class F
        {
            private static readonly ILogger s_log = NullLogger.Instance;

            [Flow]
            public static int[] Run(string p, string[] lines)
            {
                var a = L.Parse(p, {|FLOW050:null|}!);
                var b = L.Parse(p, {|FLOW050:s_log|});
                return Flow.Map(L.Parse, lines, {|FLOW050:default(ILogger)|}!);
            }
        }
        """);

    [Fact]
    public Task FLOW051_fires_on_a_log_call_in_the_flow_body() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static int Run(string p, ILogger log)
            {
                {|FLOW051:log.LogInformation("starting {P}", p)|};
                return L.Parse(p, log);
            }
        }
        """);

    [Fact]
    public Task FLOW008_fires_on_the_flows_logger_passed_as_a_value() => VerifyAsync("""
        public static partial class F
        {
            [Flow]
            public static string Run(ILogger log) => T.Show({|FLOW008:log|});
        }
        """);

    [Fact]
    public Task FLOW013_fires_on_a_task_that_takes_two_loggers() => VerifyAsync("""
        public static class Two
        {
            [Task] public static int {|FLOW013:Parse|}(string line, ILogger a, ILogger<L2> b) => line.Length;
        }

        public static partial class F
        {
            [Flow]
            public static int Run(string p, ILogger log) => {|FLOW013:Two.Parse(p, log, NullLogger<L2>.Instance)|};
        }
        """);
}
