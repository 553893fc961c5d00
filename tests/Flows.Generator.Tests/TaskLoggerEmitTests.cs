using System.Buffers;
using Flows.Graph;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flows.Generator.Tests;

/// <summary>
/// What the generator writes for tasks that take an <c>ILogger</c>: the logger is bound like a
/// <c>CancellationToken</c>, never an input, an edge or a serialized value; a flow's own <c>ILogger</c>
/// parameter is no graph input.
/// </summary>
public sealed class TaskLoggerEmitTests
{
    public const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;
        using Microsoft.Extensions.Logging;
        using Microsoft.Extensions.Logging.Abstractions;

        namespace Logs
        {
            public sealed record Row(string Text);

            public static class Steps
            {
                [Task]
                public static Row Parse(string line, ILogger log)
                {
                    log.LogInformation("Parsing {Line}", line);
                    return new Row(line);
                }

                [Task]
                public static async Task<int> Count(Row[] rows, ILogger<Row> log, CancellationToken ct)
                {
                    await Task.Yield();
                    log.LogDebug("Counting {Rows} rows", rows.Length);
                    return rows.Length;
                }

                [Task] public static string Label(string line, ILogger log, string prefix) => prefix + line;

                public static class Nested
                {
                    [Task] public static string Trim(ILogger log, string text) => text.Trim();
                }
            }

            public static partial class Flows
            {
                [Flow]
                public static async Task<int> Report(string[] lines, ILogger log, CancellationToken ct)
                {
                    var rows = Flow.Map(Steps.Parse, lines, log);
                    return await Steps.Count(rows, NullLogger<Row>.Instance, ct);
                }

                [Flow]
                public static string[] Labels(string[] lines, string prefix, ILogger log)
                {
                    var trimmed = Steps.Nested.Trim(log, prefix);
                    return Flow.Map(Steps.Label, lines, NullLogger.Instance, trimmed);
                }

                [Flow]
                public static string[] Outer(string[] lines, ILogger log) => Labels(lines, "x", log);

                [Flow]
                public static Outcome<Row>[] Tolerant(string[] lines, ILogger log) => Flow.TryMap(Steps.Parse, lines, log);
            }
        }
        """;

    [Fact]
    public void Generated_code_compiles_with_no_diagnostics_at_all()
    {
        var (output, result) = GeneratorHarness.Run(Source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        Assert.Contains("Logs.Flows.Report.Flow.g.cs", GeneratorHarness.GeneratedFiles(result).Keys);
    }

    [Fact]
    public void A_flows_logger_parameter_is_not_a_graph_input()
    {
        using var assembly = Load();

        Assert.Equal(new[] { "lines" }, Graph(assembly, "ReportFlow").ParameterNames);
        Assert.Equal(new[] { "lines", "prefix" }, Graph(assembly, "LabelsFlow").ParameterNames);
        Assert.Equal(new[] { "lines" }, Graph(assembly, "OuterFlow").ParameterNames);
    }

    [Fact]
    public void A_tasks_logger_is_not_an_input_of_its_node()
    {
        using var assembly = Load();

        var report = Graph(assembly, "ReportFlow");
        Assert.Equal(new[] { 0 }, report.Nodes[0].InputSlots);
        Assert.Equal(new[] { report.FirstNodeSlot }, report.Nodes[1].InputSlots);

        // Trim(log, prefix): only the prefix; Map(Label, lines, NullLogger.Instance, trimmed): the collection and the trimmed prefix.
        var labels = Graph(assembly, "LabelsFlow");
        Assert.Equal(new[] { 1 }, labels.Nodes[0].InputSlots);
        Assert.Equal(new[] { 0, labels.FirstNodeSlot }, labels.Nodes[1].InputSlots);
    }

    [Fact]
    public void The_descriptor_names_the_log_category_as_ILogger_of_T_would()
    {
        using var assembly = Load();

        var report = Graph(assembly, "ReportFlow");
        Assert.Equal("Logs.Steps", report.Nodes[0].Task!.LogCategory);
        Assert.Equal("Logs.Row", report.Nodes[1].Task!.LogCategory);
        Assert.Equal("Logs.Steps.Nested", Graph(assembly, "LabelsFlow").Nodes[0].Task!.LogCategory);
    }

    [Fact]
    public void The_codec_writes_the_inputs_without_the_logger()
    {
        using var assembly = Load();

        var label = Graph(assembly, "LabelsFlow").Nodes[1].Task!;
        var buffer = new ArrayBufferWriter<byte>();
        label.Codec!.WriteArguments(TaskArguments.FromValues("line", "pre:"), buffer);
        var read = label.Codec.ReadArguments(buffer.WrittenSpan);

        Assert.Equal(2, read.Count);
        Assert.Equal("pre:line", label.Invoke(read, CancellationToken.None));
    }

    [Fact]
    public void A_task_called_outside_a_run_gets_a_logger_that_does_nothing()
    {
        using var assembly = Load();

        var parse = Graph(assembly, "ReportFlow").Nodes[0].Task!;
        var row = parse.Invoke(TaskArguments.FromValues("a"), CancellationToken.None);

        Assert.Equal("Row { Text = a }", row!.ToString());
        Assert.Same(NullLogger.Instance, TaskArguments.FromValues().Logger);
        Assert.IsAssignableFrom<ILogger<string>>(TaskArguments.FromValues().LoggerOf<string>());
    }

    [Fact]
    public void The_flow_called_directly_logs_to_the_logger_it_is_given()
    {
        using var assembly = Load();
        var logger = new CountingLogger();

        var count = assembly.Type("Logs.Flows").GetMethod("Outer")!.Invoke(null, new object?[] { new[] { "a", "b" }, logger });
        var rows = (Array)assembly.Type("Logs.Flows").GetMethod("Tolerant")!.Invoke(null, new object?[] { new[] { "a", "b", "c" }, logger })!;

        Assert.Equal(new[] { "xa", "xb" }, count);
        Assert.Equal(3, rows.Length);
        Assert.Equal(3, logger.Records);
    }

    private static FlowGraph Graph(LoadedAssembly assembly, string flowClass) =>
        (FlowGraph)assembly.StaticProperty("Logs.Flows+" + flowClass, "Graph")!;

    private static LoadedAssembly Load() => new(GeneratorHarness.Run(Source).Output);

    private sealed class CountingLogger : ILogger
    {
        public int Records { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => Records++;
    }
}
