namespace Flows.Generator.Tests;

/// <summary>The generated text depends on the flows only, not on the run or the order of files.</summary>
public sealed class DeterminismTests
{
    [Fact]
    public void Two_runs_give_byte_identical_files()
    {
        var first = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(SampleFlows.All).Result);
        var second = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(SampleFlows.All).Result);

        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        Assert.All(first, file => Assert.Equal(file.Value, second[file.Key]));
    }

    [Fact]
    public void Reordering_source_files_changes_no_file_content()
    {
        var forward = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(SampleFlows.All).Result);
        var backward = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(SampleFlows.All.Reverse().ToArray()).Result);

        Assert.Equal(forward.Keys.Order(StringComparer.Ordinal), backward.Keys.Order(StringComparer.Ordinal));
        Assert.All(forward, file => Assert.Equal(file.Value, backward[file.Key]));
    }

    [Fact]
    public void Generated_text_uses_only_line_feeds()
    {
        var files = GeneratorHarness.GeneratedFiles(GeneratorHarness.Run(SampleFlows.All).Result);

        Assert.All(files.Values, text => Assert.DoesNotContain('\r', text));
    }
}
