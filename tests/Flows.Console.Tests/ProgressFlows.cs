namespace Flows.Console.Tests;

/// <summary>The flows the display is shown on, compiled by the generator as a user writes them.</summary>
public static partial class ProgressFlows
{
    [Task]
    public static int[] Numbers(int count) => Enumerable.Range(1, count).ToArray();

    /// <summary>Fails for multiples of four, on every attempt (one retry).</summary>
    [Task(Retries = 1, RetryDelayMs = 10)]
    public static int Square(int x) => x % 4 == 0 ? throw new InvalidOperationException($"{x} is a multiple of four") : x * x;

    [Task]
    public static bool IsStrict(int mode) => mode > 0;

    [Task]
    public static int Validate(Outcome<int>[] squares) => squares.Length;

    [Task]
    public static int Total(Outcome<int>[] squares) => squares.Where(s => s.Succeeded).Sum(s => s.Value);

    [Task]
    public static int Offset(int total) => total + 1;

    /// <summary>Always fails: three attempts, then the run fails.</summary>
    [Task(Retries = 2, RetryDelayMs = 10)]
    public static int Publish(int total) => throw new IOException($"cannot publish {total}");

    [Task]
    public static int Double(int x) => 2 * x;

    [Task]
    public static int Sum(int[] values) => values.Sum();

    /// <summary>A subflow: its tasks show under it.</summary>
    [Flow]
    public static int Summarize(Outcome<int>[] squares)
    {
        var total = Total(squares);
        return Offset(total);
    }

    /// <summary>
    /// A map whose failing elements are retried and kept (TryMap), a branch not taken when
    /// <paramref name="mode"/> is 0, a subflow, and a last task that fails after its retries.
    /// </summary>
    [Flow]
    public static int Report(int count, int mode)
    {
        var xs = Numbers(count);
        var squares = Flow.TryMap(Square, xs);
        if (IsStrict(mode))
        {
            Validate(squares);
        }

        var total = Summarize(squares);
        return Publish(total);
    }

    /// <summary>A plain map and a sum: succeeds.</summary>
    [Flow]
    public static int Doubled(int count)
    {
        var xs = Numbers(count);
        var doubled = Flow.Map(Double, xs);
        return Sum(doubled);
    }
}

/// <summary>A map whose elements above two wait for the test: the live display is seen while they run.</summary>
public static partial class HeldFlows
{
    /// <summary>Opened by the test once it has seen the display with the held elements running.</summary>
    public static readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Task]
    public static async Task<int> Hold(int x)
    {
        if (x > 2)
        {
            await Release.Task;
        }

        return x;
    }

    [Task]
    public static int Count(int[] values) => values.Length;

    [Flow]
    public static async Task<int> Held(int[] values)
    {
        var held = await Flow.Map(Hold, values);
        return Count(held);
    }
}

/// <summary>A map of doublings whose last task tells the test it runs: every element has ended by then.</summary>
public static partial class ToldFlows
{
    /// <summary>Set by the last task of the run (threads only: the test shares the process with it).</summary>
    public static readonly ManualResetEventSlim LastTaskRuns = new();

    [Task]
    public static int[] Range(int count) => Enumerable.Range(1, count).ToArray();

    [Task]
    public static int Twice(int x) => 2 * x;

    // The event is thread-safe and the test runs this flow in its own process (LocalExecutor, ThreadExecutor).
#pragma warning disable FLOW203
    [Task]
    public static int SumAndTell(int[] values)
    {
        LastTaskRuns.Set();
        return values.Sum();
    }
#pragma warning restore FLOW203

    [Flow]
    public static int Doubled(int count)
    {
        var xs = Range(count);
        var doubled = Flow.Map(Twice, xs);
        return SumAndTell(doubled);
    }
}
