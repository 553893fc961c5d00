namespace Flows.EndToEnd.Tests;

public enum Mode
{
    Fast,
    Careful,
    Off,
}

/// <summary>
/// Flows that branch, clean up, fall back and order side effects, written as a user writes them.
/// Every task that has a side effect appends a line to a journal file, so that a test can compare
/// what the eager body did, in what order, with what the graph did, on any executor (worker
/// processes append to the same file).
/// </summary>
public static partial class ControlFlows
{
    [Task]
    public static async Task Write(string path, string text, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        await File.WriteAllTextAsync(path, text, cancellationToken);
    }

    [Task]
    public static async Task<int> WriteCount(string path, string text, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return text.Length;
    }

    [Task]
    public static int ReadLength(string path) => File.Exists(path) ? File.ReadAllText(path).Length : -1;

    [Task]
    public static void Log(string journal, string line) => File.AppendAllText(journal, line + "\n");

    [Task]
    public static int Record(string journal, string what, int value)
    {
        File.AppendAllText(journal, what + " " + value + "\n");
        return value;
    }

    [Task]
    public static bool IsBig(int value) => value >= 10;

    [Task]
    public static string Kind(int value) => value % 2 == 0 ? "even" : "odd";

    [Task]
    public static string Describe(string journal, string size, int value)
    {
        File.AppendAllText(journal, "describe " + size + "\n");
        return size + ":" + value;
    }

    [Task]
    public static string Open(string journal, string name)
    {
        File.AppendAllText(journal, "open " + name + "\n");
        return name;
    }

    [Task]
    public static void Use(string journal, string resource, bool fail)
    {
        File.AppendAllText(journal, "use " + resource + "\n");
        if (fail)
        {
            throw new InvalidOperationException("using " + resource + " failed");
        }
    }

    [Task]
    public static void Close(string journal, string resource) => File.AppendAllText(journal, "close " + resource + "\n");

    [Task]
    public static string Fetch(string journal, string source)
    {
        File.AppendAllText(journal, "fetch " + source + "\n");
        return source switch
        {
            "bad" => throw new IOException("source " + source + " is down"),
            "missing" => throw new FileNotFoundException("source " + source + " has no file"),
            _ => "data from " + source,
        };
    }

    [Task]
    public static string Summarize(string journal, string data)
    {
        File.AppendAllText(journal, "summarize\n");
        return "summary of " + data;
    }

    [Task]
    public static (int Low, int High) Bounds(int[] values) => (values.Min(), values.Max());

    [Task]
    public static int Span(int low, int high) => high - low;

    [Task]
    public static int[] ParseNumbers(string text) => text.Split(',').Select(int.Parse).ToArray();

    [Task]
    public static int Total(int[] values) => values.Sum();

    [Task]
    public static int Twice(int value) => value * 2;

    [Task]
    public static int Plus(int a, int b) => a + b;

    /// <summary>The issue's own example: a write, then a read of what it wrote.</summary>
    [Flow]
    public static async Task<int> WriteThenRead(string path, CancellationToken cancellationToken)
    {
        await Write(path, "hello", cancellationToken);
        var length = ReadLength(path);
        return length;
    }

    /// <summary>Two steps that share no data, ordered with Flow.After.</summary>
    [Flow]
    public static async Task<int> WriteCountThenRead(string path, CancellationToken cancellationToken)
    {
        var written = await WriteCount(path, "hello!", cancellationToken);
        Flow.After(written);
        var length = ReadLength(path);
        return Span(written, length);
    }

    /// <summary>An if/else on a task's result, with a local merged after it.</summary>
    [Flow]
    public static string Classify(string journal, int value)
    {
        var big = IsBig(value);
        string label;
        if (big)
        {
            label = Describe(journal, "big", value);
        }
        else
        {
            label = Describe(journal, "small", value);
        }

        Log(journal, "classified");
        return label;
    }

    /// <summary>A negated parameter, an early return, a nested if and side effects in order.</summary>
    [Flow]
    public static int Guarded(string journal, bool strict, int value)
    {
        if (!strict)
        {
            return Record(journal, "lenient", value);
        }

        Log(journal, "checking");
        var big = IsBig(value);
        if (big)
        {
            Log(journal, "big and strict");
            if (strict)
            {
                Log(journal, "still strict");
            }
        }

        return Record(journal, "strict", value);
    }

    /// <summary>An else-if chain whose last arm returns: what follows runs on the two arms that went on.</summary>
    [Flow]
    public static int Chain(string journal, bool strict, int value)
    {
        int chosen;
        if (!strict)
        {
            chosen = Record(journal, "lenient", value);
        }
        else if (IsBig(value))
        {
            chosen = Record(journal, "big", value);
        }
        else
        {
            return Record(journal, "small", value);
        }

        Log(journal, "after");
        return Twice(chosen);
    }

    /// <summary>A switch on an enum parameter and one on a task's string result.</summary>
    [Flow]
    public static int Switched(string journal, Mode mode, int value)
    {
        var result = value;
        switch (mode)
        {
            case Mode.Fast:
                result = Record(journal, "fast", value);
                break;
            case Mode.Careful:
                Log(journal, "careful");
                result = Record(journal, "careful", Twice(value));
                break;
            default:
                Log(journal, "off");
                break;
        }

        switch (Kind(value))
        {
            case "even":
                Log(journal, "even");
                break;
            case "odd":
                return Record(journal, "odd", result);
        }

        return result;
    }

    /// <summary>A cleanup that runs after the step that used the resource, whatever happened to it.</summary>
    [Flow]
    public static void Cleaned(string journal, bool fail)
    {
        var resource = Open(journal, "db");
        try
        {
            Use(journal, resource, fail);
            Log(journal, "used");
        }
        finally
        {
            Close(journal, resource);
        }

        Log(journal, "after");
    }

    /// <summary>A fallback source: the catch block's value is merged with the try block's.</summary>
    [Flow]
    public static string Fallback(string journal, string source)
    {
        string data;
        try
        {
            data = Fetch(journal, source);
        }
        catch (IOException)
        {
            Log(journal, "falling back");
            data = Fetch(journal, "backup");
        }

        return Summarize(journal, data);
    }

    /// <summary>A catch clause for another type, then one for every exception, and a finally.</summary>
    [Flow]
    public static string CatchOrder(string journal, string source)
    {
        try
        {
            return Fetch(journal, source);
        }
        catch (ArgumentException)
        {
            Log(journal, "argument");
            return "argument";
        }
        catch (Exception)
        {
            Log(journal, "any");
            return "any";
        }
        finally
        {
            Log(journal, "finally");
        }
    }

    /// <summary>A catch clause that does not match: the flow fails as the eager body throws.</summary>
    [Flow]
    public static string Uncaught(string journal, string source)
    {
        try
        {
            return Fetch(journal, source);
        }
        catch (ArgumentException)
        {
            Log(journal, "argument");
            return "argument";
        }
    }

    /// <summary>Tuple deconstruction and nested calls.</summary>
    [Flow]
    public static int Shapes(string text)
    {
        var (low, high) = Bounds(ParseNumbers(text));
        return Plus(Span(low, high), Total(ParseNumbers(text)));
    }
}
