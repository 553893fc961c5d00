using System.Text.RegularExpressions;
using Spectre.Console.Testing;

namespace Flows.Console.Tests;

/// <summary>A display on a test console, and its output made comparable: durations and the run id taken out.</summary>
internal sealed partial class Captured
{
    private Captured(TestConsole console, FlowProgress progress)
    {
        Console = console;
        Progress = progress;
    }

    public TestConsole Console { get; }

    public FlowProgress Progress { get; }

    public FlowRunOptions Options => new() { Listeners = [Progress] };

    public static Captured Plain(bool table = true)
    {
        var console = new TestConsole().Width(200);
        return new Captured(console, new FlowProgress(new FlowProgressOptions { Console = console, Mode = FlowProgressMode.Plain, ShowFinalTable = table }));
    }

    public static Captured Live(Action<TestConsole>? rendered = null, bool table = true, int maxNodeLines = 30)
    {
        var console = new TestConsole().Width(160).Interactive();
        var progress = new FlowProgress(new FlowProgressOptions
        {
            Console = console,
            Mode = FlowProgressMode.Live,
            ShowFinalTable = table,
            MaxNodeLines = maxNodeLines,
            RefreshInterval = TimeSpan.FromMilliseconds(20),
        })
        {
            Rendered = c => rendered?.Invoke((TestConsole)c),
        };
        return new Captured(console, progress);
    }

    /// <summary>The output's lines with every duration as "T", the run id as "RUN", and runs of spaces as one.</summary>
    public IReadOnlyList<string> Lines(string runId) => Normalize(Console.Output, runId);

    public static IReadOnlyList<string> Normalize(string text, string runId)
    {
        text = Duration().Replace(text.Replace(runId, "RUN", StringComparison.Ordinal), "T");
        return [.. text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim()).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@"\b\d+(\.\d+)? (ms|s)\b|\b\d+m \d{2}s\b|\b\d+h \d{2}m\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
