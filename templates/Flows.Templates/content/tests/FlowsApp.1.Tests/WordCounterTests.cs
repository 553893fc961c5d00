using Flows;

namespace FlowsApp._1.Tests;

public class WordCounterTests
{
    private static readonly string[] Lines =
    [
        "the cat sat on the mat",
        "The dog sat on the log.",
        "a cat, a dog; the end",
    ];

    private static readonly WordCount[] Expected =
    [
        new("the", 5),
        new("a", 2),
        new("cat", 2),
    ];

    [Fact]
    public void Eager_call_counts_the_words()
    {
        Assert.Equal(Expected, WordCounter.TopWords(Lines, chunkSize: 2, top: 3));
    }

    [Fact]
    public void CountWords_ignores_case_and_punctuation()
    {
        var counts = WordCounter.CountWords(["It's the end. THE END!"]);
        Assert.Equal(2, counts["the"]);
        Assert.Equal(2, counts["end"]);
        Assert.Equal(1, counts["it's"]);
    }

    [Fact]
    public async Task LocalExecutor_gives_the_eager_result()
    {
        var run = await WordCounter.TopWordsFlow.RunAsync(new LocalExecutor(), Lines, 2, 3);
        Assert.Equal(Expected, run.Result);
    }

    [Fact]
    public async Task ThreadExecutor_gives_the_eager_result()
    {
        using var executor = new ThreadExecutor(numWorkers: 2);
        var run = await WordCounter.TopWordsFlow.RunAsync(executor, Lines, 2, 3);
        Assert.Equal(Expected, run.Result);
        // Chunk, one CountWords per chunk (two chunks), Merge.
        Assert.Equal(4, run.Tasks.Count);
        Assert.All(run.Tasks, t => Assert.Equal(TaskState.Succeeded, t.State));
    }

    [Fact]
    public async Task ProcessExecutor_gives_the_eager_result()
    {
        await using var executor = new ProcessExecutor(numWorkers: 2);
        var run = await WordCounter.TopWordsFlow.RunAsync(executor, Lines, 2, 3);
        Assert.Equal(Expected, run.Result);
    }
}
