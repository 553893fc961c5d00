using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Flows.Generator.Tests;

/// <summary>The pipeline caches: unrelated edits redo nothing, and its models hold no compilation objects.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] StepNames = typeof(FlowGeneratorSteps)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("public sealed class Unrelated { public int Value => 3; }", GeneratorHarness.ParseOptions)));

        AssertAllStepsReused(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void Editing_a_comment_in_a_flow_file_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var flowsTree = compilation.SyntaxTrees.ElementAt(1);

        var edited = compilation.ReplaceSyntaxTree(
            flowsTree,
            CSharpSyntaxTree.ParseText("// a comment\n" + SampleFlows.Flows, GeneratorHarness.ParseOptions, flowsTree.FilePath));
        driver = driver.RunGenerators(edited);

        AssertAllStepsReused(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void Editing_a_flow_body_changes_its_model_and_its_file()
    {
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var before = GeneratorHarness.GeneratedFiles(driver.GetRunResult())["Etl.Pipeline.Report.Flow.g.cs"];
        var flowsTree = compilation.SyntaxTrees.ElementAt(1);

        var edited = compilation.ReplaceSyntaxTree(
            flowsTree,
            CSharpSyntaxTree.ParseText(SampleFlows.Flows.Replace("Summarize(rows, Prefix)", "Summarize(rows, \"edited\")"), GeneratorHarness.ParseOptions, flowsTree.FilePath));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult();

        var reasons = result.Results.Single().TrackedSteps[FlowGeneratorSteps.FlowModels]
            .SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
        var after = GeneratorHarness.GeneratedFiles(result)["Etl.Pipeline.Report.Flow.g.cs"];
        Assert.NotEqual(before, after);
        Assert.Contains("\"edited\"", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_flow_body_leaves_the_registry_and_serializers_unchanged()
    {
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var flowsTree = compilation.SyntaxTrees.ElementAt(1);

        var edited = compilation.ReplaceSyntaxTree(
            flowsTree,
            CSharpSyntaxTree.ParseText(SampleFlows.Flows.Replace("Summarize(rows, Prefix)", "Summarize(rows, \"edited\")"), GeneratorHarness.ParseOptions, flowsTree.FilePath));
        driver = driver.RunGenerators(edited);

        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[FlowGeneratorSteps.Registry]
            .SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Registry was {reason}."));
    }

    [Fact]
    public void Editing_a_record_that_crosses_a_task_boundary_updates_its_serializer()
    {
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tasksTree = compilation.SyntaxTrees.First();
        Assert.DoesNotContain("value.Line", GeneratorHarness.GeneratedFiles(driver.GetRunResult())["Flows.Serializers.g.cs"], StringComparison.Ordinal);

        var edited = compilation.ReplaceSyntaxTree(
            tasksTree,
            CSharpSyntaxTree.ParseText(SampleFlows.Tasks.Replace("record Row(string Text)", "record Row(string Text, int Line)"), GeneratorHarness.ParseOptions, tasksTree.FilePath));
        driver = driver.RunGenerators(edited);

        var serializers = GeneratorHarness.GeneratedFiles(driver.GetRunResult())["Flows.Serializers.g.cs"];
        Assert.Contains("w.WriteInt32(value.Line);", serializers, StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_comment_in_the_tasks_file_leaves_every_step_cached_or_unchanged()
    {
        // Task models hold a hash of their code, taken without trivia: a comment is not code.
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tasksTree = compilation.SyntaxTrees.First();

        var edited = compilation.ReplaceSyntaxTree(
            tasksTree,
            CSharpSyntaxTree.ParseText(SampleFlows.Tasks.Replace("public static char[] Separators", "// The separators.\n        public static char[] Separators"), GeneratorHarness.ParseOptions, tasksTree.FilePath));
        driver = driver.RunGenerators(edited);

        AssertAllStepsReused(driver.GetRunResult().Results.Single());
    }

    [Fact]
    public void Editing_a_task_body_changes_its_code_hash_in_the_models_of_the_flows_that_call_it_and_in_the_registry_only()
    {
        // Since task descriptors carry a code hash, a task's body is part of its model: the flows that
        // call it and the registry are redone, the other flows stay as they were.
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var before = GeneratorHarness.GeneratedFiles(driver.GetRunResult());
        var tasksTree = compilation.SyntaxTrees.First();

        var edited = compilation.ReplaceSyntaxTree(
            tasksTree,
            CSharpSyntaxTree.ParseText(SampleFlows.Tasks.Replace("Separators(string text) => new[] { ',' };", "Separators(string text) => new[] { ';' };"), GeneratorHarness.ParseOptions, tasksTree.FilePath));
        driver = driver.RunGenerators(edited);
        var result = driver.GetRunResult();
        var after = GeneratorHarness.GeneratedFiles(result);

        var models = result.Results.Single().TrackedSteps[FlowGeneratorSteps.FlowModels].SelectMany(s => s.Outputs).ToList();
        var modified = models.Where(o => o.Reason == IncrementalStepRunReason.Modified).Select(o => ((Model.FlowModel?)o.Value)?.MethodName);
        Assert.Equal(new[] { "Branching" }, modified);
        Assert.All(models.Where(o => o.Reason != IncrementalStepRunReason.Modified), o =>
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"A flow model was {o.Reason}."));
        Assert.NotEqual(CodeHashOf(before["Flows.TaskRegistry.g.cs"], "Etl.Steps.Separators"), CodeHashOf(after["Flows.TaskRegistry.g.cs"], "Etl.Steps.Separators"));
        Assert.Equal(CodeHashOf(before["Flows.TaskRegistry.g.cs"], "Etl.Steps.Split"), CodeHashOf(after["Flows.TaskRegistry.g.cs"], "Etl.Steps.Split"));

        // The graph's hash covers the graph, not the tasks' code (each task has its own hash).
        Assert.Equal(before["Etl.Pipeline.Branching.Flow.g.cs"], after["Etl.Pipeline.Branching.Flow.g.cs"]);
        Assert.Equal(before["Flows.Serializers.g.cs"], after["Flows.Serializers.g.cs"]);
    }

    [Fact]
    public void Editing_a_task_attribute_in_another_file_updates_the_flows_that_call_the_task()
    {
        var compilation = GeneratorHarness.Compilation(SampleFlows.All);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        var tasksTree = compilation.SyntaxTrees.First();

        var edited = compilation.ReplaceSyntaxTree(
            tasksTree,
            CSharpSyntaxTree.ParseText(SampleFlows.Tasks.Replace("Retries = 3", "Retries = 5"), GeneratorHarness.ParseOptions, tasksTree.FilePath));
        driver = driver.RunGenerators(edited);

        // The task's one descriptor lives in the assembly's registry, which the flow refers to.
        var registry = GeneratorHarness.GeneratedFiles(driver.GetRunResult())["Flows.TaskRegistry.g.cs"];
        Assert.Contains("retries: 5,", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_locations_or_compilations()
    {
        var driver = GeneratorHarness.Driver().RunGenerators(GeneratorHarness.Compilation(SampleFlows.All));
        var result = driver.GetRunResult().Results.Single();

        var visited = 0;
        foreach (var step in StepNames.SelectMany(name => result.TrackedSteps[name]))
        {
            foreach (var (value, _) in step.Outputs)
            {
                ModelWalker.AssertSymbolFree(value, $"step {step.Name}", ref visited);
            }
        }

        Assert.True(visited > 50, $"The walk saw only {visited} objects.");
    }

    /// <summary>The <c>codeHash:</c> value of task <paramref name="taskId"/>'s descriptor in the registry's text.</summary>
    private static string CodeHashOf(string registry, string taskId)
    {
        var at = registry.IndexOf($"id: \"{taskId}\",", StringComparison.Ordinal);
        Assert.True(at >= 0, $"No descriptor of {taskId}.");
        var hash = registry.IndexOf("codeHash: \"", at, StringComparison.Ordinal) + "codeHash: \"".Length;
        return registry.Substring(hash, 32);
    }

    private static void AssertAllStepsReused(GeneratorRunResult result)
    {
        foreach (var name in StepNames)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"Step {name} did not run.");
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(
                        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"Step {name} produced an output with reason {reason}.");
                }
            }
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"An output was {output.Reason}."));
    }
}
