using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Flows.EndToEnd.Tests;

/// <summary>
/// The pictures of generated flows: the static text fixed by the source, a run coloured by state the
/// same on every executor, DOT that Graphviz reads, and an HTML report that stands alone.
/// </summary>
public sealed class PictureTests(WorkerPoolFixture workers) : IClassFixture<WorkerPoolFixture>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-pictures-").FullName;

    public static TheoryData<string> Executors => WorkerPoolFixture.ExecutorNames;

    public void Dispose() => Directory.Delete(_folder, recursive: true);


    private const string ReportPicture = """
        flowchart TD
          subgraph ct6 ["try"]
            n0["Pages"]
            n1[["Parse ×N<br/>outcomes kept"]]
            subgraph cb0 ["if strict"]
              n2["Validate"]
            end
            subgraph cs4 ["subflow Housekeeping"]
              n4_0["Tidy"]
              n4_1["Measure"]
            end
            n5["Total"]
          end
          subgraph cf6 ["finally"]
            n8["Cleanup"]
          end
          n0 --> n1
          n1 --> n2
          n2 -.-> n4_0
          n4_0 --> n4_1
          n1 --> n5
          n4_1 --> n5
          n5 -.-> n8

        """;

    [Fact]
    public void A_flow_s_picture_is_fixed_by_its_source()
    {
        Assert.Equal(ReportPicture.ReplaceLineEndings("\n"), PictureFlows.ReportFlow.ToMermaid());
        Assert.Equal(PictureFlows.ReportFlow.Graph.ToDot(), PictureFlows.ReportFlow.ToDot());
    }

    [Fact]
    public void A_catch_and_a_switch_are_boxes_and_the_fallback_runs_if_the_fetch_failed()
    {
        Assert.Equal(
            """
            flowchart TD
              subgraph ct1 ["try"]
                n0["Fetch"]
              end
              subgraph cb0 ["catch IOException"]
                n2["Fetch#35;2"]
              end
              n5["Pick"]
              subgraph cb2 ["switch Pick: case #quot;even#quot;"]
                n6["Score"]
              end
              subgraph cb3 ["switch Pick: default"]
                n7["Score#35;2"]
              end
              n0 -.-o n2
              n2 -.-> n5
              n0 --> n6
              n2 --> n6
              n5 -.-o n6
              n0 --> n7
              n2 --> n7
              n5 -.-o n7

            """.ReplaceLineEndings("\n"),
            PictureFlows.ChooseFlow.ToMermaid());
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_run_that_failed_part_way_is_coloured_the_same_on_every_executor(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var run = await PictureFlows.ReportFlow.RunAsync(lease.Executor, 5, true, " tmp ").WaitAsync(Patience);

        Assert.Equal(FlowState.Failed, run.State);
        Assert.Equal(
            """
            flowchart TD
              subgraph ct6 ["try"]
                n0["Pages<br/>succeeded"]
                n1[["Parse ×5<br/>4 succeeded, 1 failed of 5"]]
                subgraph cb0 ["if strict"]
                  n2["Validate<br/>failed"]
                end
                subgraph cs4 ["subflow Housekeeping"]
                  n4_0["Tidy<br/>skipped"]
                  n4_1["Measure<br/>skipped"]
                end
                n5["Total<br/>skipped"]
              end
              subgraph cf6 ["finally"]
                n8["Cleanup<br/>succeeded"]
              end
              n0 --> n1
              n1 --> n2
              n2 -.-> n4_0
              n4_0 --> n4_1
              n1 --> n5
              n4_1 --> n5
              n5 -.-> n8
              classDef failed fill:#ffcdd2,stroke:#c62828,color:#5c1010
              class n1,n2 failed
              classDef skipped fill:#fff9c4,stroke:#f9a825,color:#4d3a00
              class n4_0,n4_1,n5 skipped
              classDef succeeded fill:#c8e6c9,stroke:#2e7d32,color:#1b3d1d
              class n0,n8 succeeded

            """.ReplaceLineEndings("\n"),
            run.ToMermaid());
        Assert.Contains("n2 [label=\"Validate\\nfailed\", class=failed,", run.ToDot());
    }

    [Theory]
    [MemberData(nameof(Executors))]
    public async Task A_branch_not_taken_is_drawn_apart_from_a_skip_after_a_failure(string executorName)
    {
        using var lease = workers.Lease(executorName);
        var run = await PictureFlows.ReportFlow.RunAsync(lease.Executor, 5, false, " tmp ").WaitAsync(Patience);

        var picture = run.ToMermaid();

        Assert.Equal(FlowState.Succeeded, run.State);
        Assert.Contains("n2[\"Validate<br/>not taken\"]", picture);
        Assert.Contains("classDef nottaken fill:#fafafa,stroke:#9e9e9e,color:#616161,stroke-dasharray:4 3\n  class n2 nottaken\n", picture);
        Assert.Contains("class n0,n4_0,n4_1,n5,n8 succeeded\n", picture);
        Assert.DoesNotContain("skipped", picture);
    }

    [SkippableFact]
    public async Task Graphviz_reads_every_dot_text()
    {
        Skip.If(FindOnPath("dot") is null, "Graphviz's dot is not on PATH (apt-get install graphviz)");
        var run = await PictureFlows.ReportFlow.RunAsync(new LocalExecutor(), 5, true, " tmp ").WaitAsync(Patience);
        var texts = new[]
        {
            PictureFlows.ReportFlow.ToDot(), PictureFlows.ChooseFlow.ToDot(), run.ToDot(),
            ControlFlows.SwitchedFlow.ToDot(), ControlFlows.CatchOrderFlow.ToDot(), ControlFlows.GuardedFlow.ToDot(), ControlFlows.ShapesFlow.ToDot(),
        };

        foreach (var text in texts)
        {
            var (exit, output, error) = await RunDot(text);
            Assert.True(exit == 0 && error.Length == 0, $"dot refused the text ({exit}): {error}\n{text}");
            Assert.Contains("<svg", output);
        }
    }

    [Fact]
    public async Task The_report_is_valid_xml_that_fetches_nothing_and_escapes_what_tasks_said()
    {
        var run = await PictureFlows.ReportFlow.RunAsync(new ThreadExecutor(numWorkers: 2), 5, true, " tmp ").WaitAsync(Patience);
        var path = Path.Combine(_folder, "report.html");

        run.WriteHtmlReport(path);
        var html = File.ReadAllText(path);

        var document = Parse(html);
        Assert.Equal("html", document.Root!.Name.LocalName);
        var addresses = Regex.Matches(html, "https?://[^\"'\\s]*").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { "http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg" }, addresses);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.Contains("page &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot; is broken", html);

        // The message reads as the task wrote it once parsed, in the task table and nowhere as markup.
        var text = string.Concat(document.Descendants().Where(e => e.Name.LocalName == "td").Select(e => e.Value));
        Assert.Contains(PictureFlows.HostileMessage, text);
        Assert.Contains("Validate", text);
        Assert.Equal(2, document.Descendants().Count(e => e.Name.LocalName == "svg"));
        Assert.Contains(document.Descendants(), e => e.Name.LocalName == "g" && (string?)e.Attribute("class") == "node failed trymap");
    }

    [Fact]
    public async Task A_report_of_a_ten_thousand_element_map_stays_small()
    {
        var values = Enumerable.Range(0, 10_000).ToArray();
        var run = await Pipelines.TripleAllFlow.RunAsync(new ThreadExecutor(numWorkers: 2), values).WaitAsync(Patience);
        var path = Path.Combine(_folder, "big.html");

        var clock = Stopwatch.StartNew();
        run.WriteHtmlReport(path);
        clock.Stop();

        var size = new FileInfo(path).Length;
        Assert.True(size < 100_000, $"the report of a 10,000-element map is {size:N0} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"writing it took {clock.Elapsed}");
        var html = File.ReadAllText(path);
        Parse(html);
        Assert.Contains("Triple ×10,000", html);
        Assert.Contains("10000 succeeded of 10000", html);
        Assert.Contains("n0[[\"Triple ×10000<br/>10000 succeeded of 10000\"]]", run.ToMermaid());
    }

    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output, string Error)> RunDot(string text)
    {
        using var process = Process.Start(new ProcessStartInfo("dot", "-Tsvg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(Patience);
        return (process.ExitCode, await output, await error);
    }
}
