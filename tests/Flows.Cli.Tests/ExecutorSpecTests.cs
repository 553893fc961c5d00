namespace Flows.Cli.Tests;

/// <summary>The <c>--executor</c> values.</summary>
public sealed class ExecutorSpecTests
{
    [Theory]
    [InlineData("local", "local", null)]
    [InlineData("threads", "threads", null)]
    [InlineData("threads:3", "threads", 3)]
    [InlineData("Processes:2", "processes", 2)]
    [InlineData("cluster:1", "cluster", 1)]
    public void An_executor_is_a_kind_and_an_optional_worker_count(string text, string kind, int? workers)
    {
        Assert.Equal(new ExecutorSpec(kind, workers), ExecutorSpec.Parse(text));
    }

    [Theory]
    [InlineData("dask", "is not an executor")]
    [InlineData("local:2", "takes no worker count")]
    [InlineData("threads:0", "is not a worker count")]
    [InlineData("threads:x", "is not a worker count")]
    public void A_bad_executor_is_refused_with_what_to_write(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<CliException>(() => ExecutorSpec.Parse(text)).Message, StringComparison.Ordinal);
    }
}
