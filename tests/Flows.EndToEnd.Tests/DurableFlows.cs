namespace Flows.EndToEnd.Tests;

/// <summary>
/// Flows for durable runs, written as a user writes them. Every task appends a line to a journal
/// file when its code runs (worker processes share the file), so a test sees what ran again after
/// a resume and what was restored or taken from the cache. A "gate" file stands for the outside
/// world a failed task waits for: a task that needs it fails until it exists.
/// </summary>
public static partial class DurableFlows
{
    [Task]
    public static int Step(string journal, string name, int value)
    {
        File.AppendAllText(journal, $"{name} {value}\n");
        return value + 1;
    }

    [Task]
    public static int SquareUnlessClosed(int value, string journal, string gate)
    {
        File.AppendAllText(journal, $"square {value}\n");
        if (value == 3 && !File.Exists(gate))
        {
            throw new InvalidOperationException($"the gate '{Path.GetFileName(gate)}' is closed for element {value}");
        }

        return value * value;
    }

    [Task]
    public static int Total(string journal, int[] squares, int offset)
    {
        File.AppendAllText(journal, "total\n");
        return squares.Sum() + offset;
    }

    [Task]
    public static int NeedsGate(string journal, string gate, int value)
    {
        File.AppendAllText(journal, $"needs-gate {value}\n");
        if (!File.Exists(gate))
        {
            throw new InvalidOperationException($"the gate '{Path.GetFileName(gate)}' is closed");
        }

        return value * 10;
    }

    [Task(Checkpoint = false)]
    public static int Fresh(string journal, int value)
    {
        File.AppendAllText(journal, $"fresh {value}\n");
        return value + 1000;
    }

    [Task(CacheFor = "00:10:00")]
    public static int Expensive(string journal, int value)
    {
        File.AppendAllText(journal, $"expensive {value}\n");
        return value * 2;
    }

    [Task]
    public static int[] Numbers(string journal, int count)
    {
        File.AppendAllText(journal, $"numbers {count}\n");
        return Enumerable.Range(0, count).ToArray();
    }

    /// <summary>The sum of the values, modulo 1000.</summary>
    [Task]
    public static int Sum(string journal, int[] values)
    {
        File.AppendAllText(journal, "sum\n");
        return (int)(values.Sum(v => (long)v) % 1000);
    }

    /// <summary>A chain, a map whose element 3 fails until the gate opens, and a last step that needs the gate too.</summary>
    [Flow]
    public static int Pipeline(string journal, string gate, int start, int[] values)
    {
        var a = Step(journal, "a", start);
        var b = Step(journal, "b", a);
        var squares = Flow.Map(SquareUnlessClosed, values, journal, gate);
        var total = Total(journal, squares, b);
        return NeedsGate(journal, gate, total);
    }

    /// <summary>A task that opts out of checkpoints, before one that fails until the gate opens.</summary>
    [Flow]
    public static int WithFresh(string journal, string gate, int start)
    {
        var fresh = Fresh(journal, start);
        return NeedsGate(journal, gate, fresh);
    }

    /// <summary>A cached task and what reads it.</summary>
    [Flow]
    public static int Cached(string journal, int value)
    {
        var doubled = Expensive(journal, value);
        return Step(journal, "after", doubled);
    }

    /// <summary>A result large enough to be kept in a file of its own, and a last step that needs the gate.</summary>
    [Flow]
    public static int Large(string journal, string gate, int count)
    {
        var numbers = Numbers(journal, count);
        var sum = Sum(journal, numbers);
        return NeedsGate(journal, gate, sum);
    }

    /// <summary>A subflow's tasks are restored by their path inside it.</summary>
    [Flow]
    public static int Outer(string journal, string gate, int start)
    {
        var inner = Inner(journal, start);
        return NeedsGate(journal, gate, inner);
    }

    [Flow]
    public static int Inner(string journal, int start)
    {
        var x = Step(journal, "inner-x", start);
        return Step(journal, "inner-y", x);
    }
}
