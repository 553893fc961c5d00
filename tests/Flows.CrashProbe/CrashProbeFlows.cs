namespace Flows.CrashProbe;

/// <summary>
/// A map of slow elements and their total: the probe runs it with a store and is killed part way;
/// the test resumes it in its own process from what the killed one checkpointed.
/// </summary>
public static partial class CrashProbeFlows
{
    [Task]
    public static long Square(int value)
    {
        // Slow enough that the test can kill the process with most elements still to do.
        Thread.Sleep(20);
        Console.WriteLine($"done {value}");
        return (long)value * value;
    }

    [Task]
    public static long Total(long[] squares) => squares.Sum();

    [Flow]
    public static long Squares(int[] values)
    {
        var squares = Flow.Map(Square, values);
        return Total(squares);
    }
}
