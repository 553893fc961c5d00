using Microsoft.Extensions.Logging;

namespace Flows.EndToEnd.Tests;

/// <summary>Tasks that log through their bound <see cref="ILogger"/> or write to the console, and flows that call them.</summary>
public static partial class TaskLogFlows
{
    public enum Shade
    {
        Light,
        Dark,
    }

    [Task]
    public static int Parse(string line, ILogger log)
    {
        log.LogInformation("Parsing {Line} of {Length} chars", line, line.Length);
        log.LogDebug("Parsed {Line}", line);
        return line.Length;
    }

    [Task]
    public static int Typed(int n, ILogger log)
    {
        log.LogWarning(
            new EventId(7, "Values"),
            "Values {Int} {Long} {Double} {Decimal} {Bool} {Guid} {Span} {When} {Shade} {List} {Nothing}",
            n, 5_000_000_000L, 2.5, 1.25m, true, new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), TimeSpan.FromSeconds(90),
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)), Shade.Dark, new List<int> { 1, 2, 3 }, null);
        return n;
    }

    [Task]
    public static int Fails(int n, ILogger log)
    {
        try
        {
            throw new FormatException("bad number " + n);
        }
        catch (FormatException ex)
        {
            log.LogError(ex, "Could not parse {N}", n);
        }

        return n;
    }

    /// <summary>Fails its first attempt (the marker file tells, wherever the attempt runs), then succeeds.</summary>
    [Task(Retries = 1)]
    public static int FlakyOnce(string marker, ILogger<Shade> log)
    {
        var first = !File.Exists(marker);
        log.LogInformation("Trying, first {First}", first);
        if (first)
        {
            File.WriteAllText(marker, "tried");
            throw new IOException("the first attempt fails");
        }

        return 1;
    }

    [Task]
    public static async Task<int> Steps(int count, ILogger log, CancellationToken ct)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 5 == 0)
            {
                await Task.Yield();
            }

            log.LogInformation("Step {Step}", i);
        }

        ct.ThrowIfCancellationRequested();
        return count;
    }

    [Task]
    public static int Chatty(int count, ILogger log)
    {
        for (var i = 0; i < count; i++)
        {
            log.LogDebug("Chatter {I} {Padding}", i, "................................................................................................");
        }

        return count;
    }

    [Task]
    public static int Prints(string text)
    {
        Console.WriteLine("out: " + text);
        Console.Error.WriteLine("err: " + text);
        Console.Write("partial " + text);
        return text.Length;
    }

    [Flow] public static int[] ParseAll(string[] lines, ILogger log) => Flow.Map(Parse, lines, log);

    [Flow] public static int[] Nested(string[] lines, ILogger log) => ParseAll(lines, log);

    [Flow] public static int TypedValues(int n, ILogger log) => Typed(n, log);

    [Flow] public static int Failing(int n, ILogger log) => Fails(n, log);

    [Flow] public static int Flaky(string marker, ILogger<Shade> log) => FlakyOnce(marker, log);

    [Flow] public static async Task<int> Ordered(int count, ILogger log, CancellationToken ct) => await Steps(count, log, ct);

    [Flow] public static int Chatter(int count, ILogger log) => Chatty(count, log);

    [Flow] public static int Printing(string text) => Prints(text);
}
