using System.Diagnostics;

namespace Flows.Cli.Tests;

/// <summary>The <c>flows</c> tool run for real on projects built in a temporary folder.</summary>
[Collection(SampleProjectsCollection.Name)]
public sealed class ToolTests(SampleProjects projects)
{
    private ToolResult Flows(params string[] args) =>
        ToolRunner.Run(projects.Root, ["--project", projects.Shop, "--no-build", "-c", ToolRunner.Configuration, .. args]);

    [Fact]
    public void List_prints_every_flow_with_its_type_parameters_and_result_type()
    {
        var result = Flows("list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("5 flow(s) in Shop", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ Summary\s+│ Shop\.Orders\s+│ int\[\] values, string label, Mode mode\s+│ Summary", result.Output);
        Assert.Matches(@"│ Wait\s+│ Shop\.Orders\s+│ int value, CancellationToken ct \(bound\)\s+│ int", result.Output);
        Assert.Contains("│ Orders.Fails ", result.Output, StringComparison.Ordinal);
        Assert.Contains("│ Returns.Fails ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void List_builds_the_project_first_unless_told_not_to()
    {
        var result = ToolRunner.Run(projects.Shop, ["list", "-c", ToolRunner.Configuration]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Building Shop...", result.Error, StringComparison.Ordinal);
        Assert.Contains("5 flow(s) in Shop", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_on_the_local_executor_prints_the_result_and_the_task_table_and_exits_0()
    {
        var result = Flows("run", "Double", "--executor", "local", "--param", "value=21");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Running flow Orders.Double on local", result.Output, StringComparison.Ordinal);
        Assert.Contains("Orders.Double: Twice succeeded (1 attempt", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"│ Twice\s+│ succeeded\s+│\s+1 │", result.Output);
        Assert.EndsWith("Result:\n42\n", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_of_a_failing_flow_names_the_failed_task_and_exits_1()
    {
        var result = Flows("run", "Orders.Fails", "--executor", "threads:2", "--param", "value=3");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"│ Boom\s+│ failed\s+│\s+1 │.*│ InvalidOperationException: no stock for 6", result.Output);
        Assert.Contains("Flow Orders.Fails failed: task Boom failed after 1 attempt: InvalidOperationException: no stock for 6.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_takes_parameters_from_a_json_file_and_prints_a_record_result_as_json_on_worker_processes()
    {
        var file = Path.Combine(projects.Root, "summary.json");
        File.WriteAllText(file, """{ "values": [1, 2, 3], "label": "week", "mode": "Careful" }""");

        var result = Flows("run", "Summary", "--executor", "processes:1", "--params", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Running flow Orders.Summary on processes:1", result.Output, StringComparison.Ordinal);
        Assert.Contains("Result:\n{\n  \"Count\": 3,\n  \"Label\": \"week:Careful\"\n}", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_on_a_local_cluster_reads_comma_lists_and_enums_from_params()
    {
        var result = Flows("run", "Summary", "--executor", "cluster:1", "--param", "values=4,5", "--param", "label=x", "--param", "mode=fast");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Running flow Orders.Summary on cluster:1", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"Label\": \"x:Fast\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_param_is_refused_before_the_run_naming_the_flow_the_parameter_the_value_and_the_form()
    {
        var result = Flows("run", "Double", "--param", "value=twenty");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: Flow 'Double': parameter 'value' (int) cannot be 'twenty': write a whole number", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Running flow", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_flow_is_refused_with_the_flows_there_are()
    {
        var result = Flows("run", "Triple");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: Project 'Shop' has no flow named 'Triple': its flows are Double, Orders.Fails, Returns.Fails, Summary, Wait", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ambiguous_flow_name_is_refused_with_the_names_that_tell_the_flows_apart()
    {
        var result = Flows("run", "Fails", "--param", "value=1");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: More than one flow in 'Shop' is named 'Fails': say which with Orders.Fails or Returns.Fails.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_full_name_of_a_flow_runs_it()
    {
        var result = Flows("run", "Shop.Returns.Fails", "--executor", "local", "--param", "value=4");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("Result:\n8\n", result.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_executor_or_graph_format_is_a_usage_error()
    {
        var executor = Flows("run", "Double", "--executor", "dask", "--param", "value=1");
        var format = Flows("graph", "Double", "--format", "png");

        Assert.True(executor.ExitCode == 2, executor.ToString());
        Assert.Contains("--executor 'dask' is not an executor: use local, threads[:N], processes[:N] or cluster[:N]", executor.Error, StringComparison.Ordinal);
        Assert.True(format.ExitCode == 2, format.ToString());
        Assert.Contains("png", format.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_prints_the_flows_picture_as_the_generated_ToMermaid_and_ToDot_give_it()
    {
        var dot = Flows("graph", "Orders.Fails", "--format", "dot");
        var mermaid = Flows("graph", "Orders.Fails");

        Assert.True(dot.ExitCode == 0, dot.ToString());
        Assert.StartsWith("digraph", dot.Output.TrimStart(), StringComparison.Ordinal);
        Assert.Matches(@"label=""Twice""[\s\S]*label=""Boom""", dot.Output);
        Assert.True(mermaid.ExitCode == 0, mermaid.ToString());
        Assert.StartsWith("flowchart TD", mermaid.Output.TrimStart(), StringComparison.Ordinal);
        Assert.Matches(@"\[""Twice""\][\s\S]*\[""Boom""\][\s\S]*-->", mermaid.Output);
    }

    [Fact]
    public void Run_with_a_report_writes_the_runs_HTML_report_even_when_the_flow_fails()
    {
        var report = Path.Combine(projects.Root, "fails-" + Guid.NewGuid().ToString("N") + ".html");
        var result = Flows("run", "Orders.Fails", "--executor", "local", "--param", "value=3", "--report", report);

        Assert.True(result.ExitCode == 1, result.ToString());
        var html = File.ReadAllText(report);
        Assert.Contains("Orders.Fails", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("no stock for 6", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_describes_every_command_and_the_run_options()
    {
        var root = ToolRunner.Run(projects.Root, "--help");
        var run = ToolRunner.Run(projects.Root, "run", "--help");

        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.Contains("list", root.Output, StringComparison.Ordinal);
        Assert.Contains("graph", root.Output, StringComparison.Ordinal);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--param", run.Output, StringComparison.Ordinal);
        Assert.Contains("--params", run.Output, StringComparison.Ordinal);
        Assert.Contains("--executor", run.Output, StringComparison.Ordinal);
        Assert.Contains("--report", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_without_flows_is_refused_saying_to_add_the_Flows_package()
    {
        var result = ToolRunner.Run(projects.Root, "list", "--project", projects.Plain, "--no-build", "-c", ToolRunner.Configuration);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: Project 'Plain' does not reference Flows", result.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet add package Flows", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cluster_executor_in_a_project_without_Flows_Cluster_is_refused_saying_to_add_it()
    {
        var result = ToolRunner.Run(projects.Root, "run", "Only", "--executor", "cluster", "--project", projects.NoCluster, "--no-build", "-c", ToolRunner.Configuration);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--executor cluster needs the Flows.Cluster package in project 'NoCluster'", result.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet add package Flows.Cluster", result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Ctrl_C_cancels_the_run_and_exits_130()
    {
        Skip.IfNot(File.Exists("/usr/bin/setsid"), "No setsid here to give the tool a process group of its own to interrupt.");
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // setsid: the tool and its host get a process group of their own, as a terminal's foreground job has, which
        // SIGINT is sent to as a terminal sends Ctrl+C.
        using var process = ToolRunner.Start(
            projects.Root,
            [ToolRunner.ToolPath, "--project", projects.Shop, "--no-build", "-c", ToolRunner.Configuration, "run", "Wait", "--executor", "threads", "--param", "value=1"],
            out var output,
            out var error,
            launcher: "/usr/bin/setsid",
            onLine: line => { if (line.Contains("holding 1", StringComparison.Ordinal)) holding.TrySetResult(); });

        await holding.Task.WaitAsync(TimeSpan.FromMinutes(1));
        using (var kill = Process.Start("kill", ["-INT", "--", "-" + process.Id]))
        {
            await kill.WaitForExitAsync();
        }

        var result = ToolRunner.Wait(process, output, error);
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Matches(@"│ Hold\s+│ cancelled", result.Output);
        Assert.Contains("Flow Orders.Wait cancelled", result.Output, StringComparison.Ordinal);
    }
}
