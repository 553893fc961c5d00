namespace Flows.Generator.Tests;

/// <summary>A representative set of flows the generator must accept, with the tasks they call.</summary>
internal static class SampleFlows
{
    public const string Tasks = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;

        namespace Etl
        {
            public sealed record Row(string Text);

            public sealed record Summary(int Count, string Label);

            public enum Mode { Fast, Careful }

            public static class Steps
            {
                public const string Prefix = "row:";

                [Task(Retries = 3, RetryDelayMs = 200, TimeoutMs = 5000, RetryBackoff = 2.0)]
                public static async Task<string[]> Download(string url, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    return new[] { url + "/a", url + "/b" };
                }

                [Task]
                public static Row[] Parse(string[] lines) => Array.ConvertAll(lines, l => new Row(l));

                [Task]
                public static Row ParseOne(string line) => new Row(line);

                [Task]
                public static async Task<Row> ParseOneAsync(string line, CancellationToken ct)
                {
                    await Task.Yield();
                    return new Row(line.ToUpperInvariant());
                }

                [Task(Name = "Summarize rows")]
                public static Summary Summarize(Row[] rows, string label, Mode mode = Mode.Careful, int limit = 10) =>
                    new Summary(rows.Length, label + ":" + mode + ":" + limit);

                [Task]
                public static void Log(Summary summary, long count)
                {
                }

                [Task]
                public static ValueTask<int> CountAsync(Row[] rows) => new ValueTask<int>(rows.Length);

                [Task]
                public static ValueTask Flush() => default;

                [Task]
                public static Task Notify(string message) => Task.CompletedTask;

                [Task]
                public static string[] Split(string text, params char[] separators) => text.Split(separators);

                [Task]
                public static int Total(this Row[] rows, int extra) => rows.Length + extra;

                [Task]
                public static bool IsEmpty(Row[] rows) => rows.Length == 0;

                [Task]
                public static char[] Separators(string text) => new[] { ',' };

                [Task]
                public static (int Low, int High) Bounds(Row[] rows) => (0, rows.Length);

                [Task]
                public static void Cleanup(string url)
                {
                }
            }
        }
        """;

    public const string Flows = """
        using System.Threading;
        using System.Threading.Tasks;
        using Flows;
        using static Etl.Steps;

        namespace Etl
        {
            public static partial class Pipeline
            {
                [Flow]
                public static async Task<Summary> Report(string url, CancellationToken ct)
                {
                    var lines = await Download(url, ct);
                    var rows = Parse(lines);
                    return Summarize(rows, Prefix);
                }

                [Flow(Name = "mapped")]
                public static async Task<Row[]> MapAll(string url, CancellationToken ct)
                {
                    var lines = await Download(url, ct).ConfigureAwait(false);
                    var upper = await Flow.Map(ParseOneAsync, lines, ct);
                    Row[] plain = Flow.Map(ParseOne, lines);
                    var summary = Summarize(plain, "plain");
                    Log(summary, 1);
                    return upper;
                }

                [Flow]
                public static async Task Everything(string url, string executor, CancellationToken cancellationToken)
                {
                    var report = await Report(url, cancellationToken);
                    Log(report, 42);
                    var lines = await Download(executor, default);
                    var first = Parse(lines);
                    var second = Parse(lines);
                    var count = await CountAsync(second);
                    await Flush();
                    await Notify("done");
                    var parts = Split(url);
                    _ = Summarize(first, nameof(Everything), Mode.Fast, limit: 3);
                }

                [Flow]
                public static Summary SyncFlow(Row[] rows) => Summarize(rows, "sync");

                [Flow]
                public static async Task<Summary> Branching(string url, Mode mode, bool strict, CancellationToken ct)
                {
                    Row[] rows;
                    try
                    {
                        rows = Parse(await Download(url, ct));
                    }
                    catch (System.IO.IOException)
                    {
                        rows = Parse(Split(url, Separators(url)));
                    }
                    finally
                    {
                        Cleanup(url);
                    }

                    if (IsEmpty(rows))
                    {
                        return Summarize(rows, "empty");
                    }

                    var (low, high) = Bounds(rows);
                    Flow.After(high);
                    switch (mode)
                    {
                        case Mode.Fast:
                            await Notify("fast");
                            break;
                        default:
                            Log(Summarize(rows, "careful", mode, low), 7);
                            break;
                    }

                    return Summarize(rows, "done", mode, high);
                }

                [Flow]
                public static int Extension(string[] lines)
                {
                    var rows = Parse(lines);
                    return rows.Total(2);
                }

                public partial class Nested
                {
                    [Flow]
                    internal static Row[] Inner(string[] lines)
                    {
                        var rows = Parse(lines);
                        return rows;
                    }
                }
            }
        }
        """;

    public const string GlobalNamespaceFlow = """
        using Flows;

        public static partial class GlobalFlows
        {
            [Task]
            public static int Length(string text) => text.Length;

            [Flow]
            public static int Measure(string text, string options) => Length(text);

            [Flow]
            public static string Echo(string text) => text;
        }

        public partial record struct Holder
        {
            [Flow]
            public static int Keyword(string @class) => GlobalFlows.Length(@class);
        }
        """;

    public static readonly string[] All = { Tasks, Flows, GlobalNamespaceFlow };
}
