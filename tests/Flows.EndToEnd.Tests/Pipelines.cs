namespace Flows.EndToEnd.Tests;

public sealed record Measurement(string Sensor, double Value);

public sealed record Stats(int Count, double Mean, double Max);

/// <summary>Flows compiled by the generator in this test assembly, as a user would write them.</summary>
public static partial class Pipelines
{
    private static int s_flakyCalls;

    [Task]
    public static int Inc(int x) => x + 1;

    [Task]
    public static int Add(int a, int b) => a + b;

    [Task]
    public static int Sum(int[] values) => values.Sum();

    [Task]
    public static async Task<int> Double(int x, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return x * 2;
    }

    [Task]
    public static Measurement[] Parse(string csv) =>
        csv.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .Select(kv => new Measurement(kv[0], double.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

    [Task]
    public static Stats Summarize(Measurement[][] batches)
    {
        var all = batches.SelectMany(b => b).ToArray();
        return new Stats(all.Length, all.Average(m => m.Value), all.Max(m => m.Value));
    }

    [Task(Name = "Reject")]
    public static int RejectOdd(int x) => x % 2 == 1 ? throw new ArgumentException($"odd value {x}") : x;

    [Task(Retries = 2)]
    public static int Flaky(int x) => Interlocked.Increment(ref s_flakyCalls) % 3 == 0 ? x : throw new IOException("transient");

    [Task(TimeoutMs = 50)]
    public static async Task<int> Hang(int x, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return x;
    }

    [Task]
    public static int Triple(int x, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return x * 3;
    }

    [Flow]
    public static int[] TripleAll(int[] values, CancellationToken cancellationToken)
    {
        return Flow.Map(Triple, values, cancellationToken);
    }

    [Flow]
    public static int Diamond(int x)
    {
        var left = Inc(x);
        var right = Inc(left);
        var joined = Add(left, right);
        return Add(joined, 100);
    }

    [Flow]
    public static async Task<int> MapAndSum(int[] values, CancellationToken cancellationToken)
    {
        var doubled = await Flow.Map(Double, values, cancellationToken);
        return Sum(doubled);
    }

    [Flow]
    public static Stats Report(string[] files)
    {
        var batches = Flow.Map(Parse, files);
        return Summarize(batches);
    }

    [Flow]
    public static int Outer(int x)
    {
        var inner = Diamond(x);
        return Inc(inner);
    }

    [Flow]
    public static int Failing(int x)
    {
        var rejected = RejectOdd(x);
        var independent = Inc(x);
        var after = Inc(rejected);
        return Add(after, independent);
    }

    [Flow]
    public static int Retried(int x)
    {
        return Flaky(x);
    }

    [Flow]
    public static async Task<int> TimesOut(int x, CancellationToken cancellationToken)
    {
        var hung = await Hang(x, cancellationToken);
        return Inc(hung);
    }
}
