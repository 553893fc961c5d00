namespace Flows.EndToEnd.Tests;

/// <summary>Flows drawn by the picture tests: a map, a subflow, an if, a switch, try/catch/finally and an order edge.</summary>
public static partial class PictureFlows
{
    /// <summary>What a page that cannot be parsed says: markup, an ampersand and quotes, which a report must escape.</summary>
    public const string HostileMessage = "page <script>alert('x')</script> & \"friends\" is broken";

    [Task]
    public static string[] Pages(int count) => Enumerable.Range(0, count).Select(i => i == 2 ? "bad" : "page " + i).ToArray();

    [Task]
    public static int Parse(string page) => page == "bad" ? throw new FormatException(HostileMessage) : page.Length;

    [Task]
    public static void Validate(Outcome<int>[] parts)
    {
        var failed = parts.Count(p => !p.Succeeded);
        if (failed > 0)
        {
            throw new InvalidDataException($"{failed} of {parts.Length} pages did not parse");
        }
    }

    [Task]
    public static int Total(Outcome<int>[] parts, int extra) => parts.Where(p => p.Succeeded).Sum(p => p.Value) + extra;

    [Task]
    public static string Tidy(string folder) => folder.Trim();

    [Task]
    public static int Measure(string folder) => folder.Length;

    [Task]
    public static void Cleanup(string folder)
    {
    }

    [Task]
    public static string Fetch(string source) => source == "down" ? throw new IOException("source is down") : "data from " + source;

    [Task]
    public static string Pick(int value) => value % 2 == 0 ? "even" : "odd";

    [Task]
    public static int Score(string data, int weight) => data.Length * weight;

    /// <summary>A subflow: two tasks of its own.</summary>
    [Flow]
    public static int Housekeeping(string folder)
    {
        var tidy = Tidy(folder);
        return Measure(tidy);
    }

    /// <summary>The design's report: a TryMap, a branch with a side effect, a subflow and a finally.</summary>
    [Flow]
    public static int Report(int count, bool strict, string folder)
    {
        try
        {
            var pages = Pages(count);
            var parsed = Flow.TryMap(Parse, pages);
            if (strict)
            {
                Validate(parsed);
            }

            var size = Housekeeping(folder);
            return Total(parsed, size);
        }
        finally
        {
            Cleanup(folder);
        }
    }

    /// <summary>A catch with a fallback, then a switch on a task's result.</summary>
    [Flow]
    public static int Choose(string source, int value)
    {
        string data;
        try
        {
            data = Fetch(source);
        }
        catch (IOException)
        {
            data = Fetch("backup");
        }

        switch (Pick(value))
        {
            case "even":
                return Score(data, 2);
            default:
                return Score(data, 3);
        }
    }
}
