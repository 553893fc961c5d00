using Flows.Generator.Analyzers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Flows.Generator.Tests;

/// <summary>FLOW056: a constant cron expression given to <c>AddFlowSchedule</c> that does not parse.</summary>
public sealed class ScheduleCronDiagnosticTests
{
    // Flows.Hosting's schedule methods, with their real shapes (the generator tests keep Flows.Hosting and its
    // dependencies out of their references): the rule recognizes them by name and namespace.
    private const string Hosting = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Flows.Hosting
        {
            public interface IServices { }
            public class Run { }

            public static class FlowsServiceCollectionExtensions
            {
                public static IServices AddFlowSchedule<TRun>(this IServices services, string name, string cron, Func<object, object, CancellationToken, Task<TRun>> start) where TRun : Run => services;
                public static IServices AddFlowSchedule<TRun>(this IServices services, string name, string cron, Func<object, object, CancellationToken, Task<TRun>> start, Action<object> configure) where TRun : Run => services;
                public static IServices AddFlowSchedule<TRun>(this IServices services, string name, TimeSpan interval, Func<object, object, CancellationToken, Task<TRun>> start) where TRun : Run => services;
            }
        }

        namespace Other
        {
            public static class Lookalike
            {
                public static void AddFlowSchedule(string name, string cron) { }
            }
        }

        """;

    [Fact]
    public Task FLOW056_flags_a_constant_expression_Cronos_refuses() => VerifyAsync("""
        using Flows.Hosting;

        public static class App
        {
            private const string Nightly = "0 25 * * *";

            public static void Configure(IServices services)
            {
                services.AddFlowSchedule("every", {|#0:"* * * *"|}, (e, o, ct) => Task.FromResult(new Run()));
                services.AddFlowSchedule("nightly", {|#1:Nightly|}, (e, o, ct) => Task.FromResult(new Run()), _ => { });
                FlowsServiceCollectionExtensions.AddFlowSchedule(services, "static", {|#2:"@sometimes"|}, (e, o, ct) => Task.FromResult(new Run()));
                services.AddFlowSchedule(cron: {|#3:"61 * * * *"|}, name: "named", start: (e, o, ct) => Task.FromResult(new Run()));
            }
        }
        """,
        Expected(0, "'every'", "* * * *", "it ends after the month field: write 5 fields (minutes, hours, day of month, month, day of week), or 6 with seconds first"),
        Expected(1, "'nightly'", "0 25 * * *", "the hours field needs a number from 0 to 23 (at character 3)"),
        Expected(2, "'static'", "@sometimes", "'@sometimes' is not a macro: use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every_minute or @every_second"),
        Expected(3, "'named'", "61 * * * *", "the minutes field needs a number from 0 to 59 (at character 1)"));

    [Fact]
    public Task FLOW056_is_quiet_for_expressions_that_parse_for_intervals_for_non_constants_and_for_other_methods() => VerifyAsync("""
        using System;
        using Flows.Hosting;

        public static class App
        {
            public static void Configure(IServices services, string fromConfiguration)
            {
                services.AddFlowSchedule("a", "*/5 * * * *", (e, o, ct) => Task.FromResult(new Run()));
                services.AddFlowSchedule("b", "30 0 12 * * MON-FRI", (e, o, ct) => Task.FromResult(new Run()));
                services.AddFlowSchedule("c", "@daily", (e, o, ct) => Task.FromResult(new Run()));
                services.AddFlowSchedule("d", "0 0 L-2W * *", (e, o, ct) => Task.FromResult(new Run()), _ => { });
                services.AddFlowSchedule("e", TimeSpan.FromMinutes(5), (e, o, ct) => Task.FromResult(new Run()));
                services.AddFlowSchedule("f", fromConfiguration, (e, o, ct) => Task.FromResult(new Run()));
                Other.Lookalike.AddFlowSchedule("g", "not a cron");
            }
        }
        """);

    private static DiagnosticResult Expected(int location, string schedule, string cron, string problem) =>
        new DiagnosticResult("FLOW056", Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            .WithLocation(location)
            .WithArguments(schedule, cron, problem);

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<ScheduleCronAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.Sources.Add(Hosting);
        test.TestState.Sources.Add("using System.Threading.Tasks;\n" + source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
