using Microsoft.Extensions.Logging;

namespace Flows.Runtime.Tests.Shell;

[CollectionDefinition(nameof(ShellFloodTests), DisableParallelization = true)]
public sealed class ShellFloodCollection;

/// <summary>
/// A command that floods its output ends with a clear, bounded result: the last characters kept, truncation said,
/// a bounded number of lines logged, and memory that does not grow with the output. Not run in parallel with other
/// tests, so that the allocation count is this test's.
/// </summary>
[Collection(nameof(ShellFloodTests))]
public sealed class ShellFloodTests
{
    private const int FloodBytes = 50_000_000;

    [Fact]
    public async Task Fifty_megabytes_of_output_keep_the_last_mebibyte_and_allocate_far_less_than_the_output()
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var result = await Flows.Shell.Run($"yes | head -c {FloodBytes}", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(result.OutputTruncated);
        Assert.False(result.ErrorTruncated);
        Assert.Equal(ShellOptions.DefaultMaxOutputChars, result.Output.Length);
        Assert.EndsWith("y\ny\n", result.Output, StringComparison.Ordinal);

        // Buffering the output would take 100 MB (two bytes a character); the tail and the buffers take a few.
        Assert.True(allocated < 20_000_000, $"the flood allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task A_flood_logs_at_most_MaxLoggedLines_lines_and_then_says_how_many_it_did_not()
    {
        using var logs = new ListLoggerProvider();
        var options = new ShellOptions { MaxLoggedLines = 100, MaxOutputChars = 10 };

        var result = await Flows.Shell.Run("seq 1 5000", options, logs.CreateLogger("shell"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("4999\n5000\n", result.Output);
        Assert.True(result.OutputTruncated);
        var lines = logs.Lines;
        Assert.Equal(101, lines.Count);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Take(100).Select(l => l.Message));
        Assert.Equal(LogLevel.Warning, lines[100].Level);
        Assert.Equal("4900 more lines of standard output were not logged (ShellOptions.MaxLoggedLines); the result keeps the last ones", lines[100].Message);
    }

    [Fact]
    public async Task Output_without_newlines_is_logged_in_pieces_of_bounded_length()
    {
        using var logs = new ListLoggerProvider();

        var result = await Flows.Shell.Run("head -c 40000 /dev/zero | tr '\\0' x", logs.CreateLogger("shell"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(40_000, result.Output.Length);
        Assert.Equal(new[] { OutputLines.MaxLineChars, OutputLines.MaxLineChars, 40_000 - (2 * OutputLines.MaxLineChars) }, logs.Lines.Select(l => l.Message.Length));
    }
}
