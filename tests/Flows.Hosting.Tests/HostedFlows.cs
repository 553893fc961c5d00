using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Flows.Hosting.Tests;

/// <summary>The flows the host runs, compiled by the generator as a user writes them.</summary>
public static partial class HostedFlows
{
    [Task]
    public static int Double(int x) => 2 * x;

    [Task]
    public static int Add(int a, int b) => a + b;

    [Flow]
    public static int Compute(int x)
    {
        var doubled = Double(x);
        return Add(doubled, 1);
    }

    [Task]
    public static int Fail(int x) => throw new InvalidOperationException($"{x} was refused");

    [Flow]
    public static int Failing(int x) => Fail(x);

    [Task]
    public static int Logged(int x, ILogger log)
    {
        log.LogInformation("logged {Value}", x);
        return x;
    }

    [Flow]
    public static int Logging(int x, ILogger log) => Logged(x, log);

    // The gates are thread-safe and these flows run in the test's process (LocalExecutor, ThreadExecutor).
#pragma warning disable FLOW203
    /// <summary>Tells gate <paramref name="gate"/> it runs, then waits until the test opens it (or the run is cancelled).</summary>
    [Task]
    public static async Task<int> Held(int gate, CancellationToken ct)
    {
        var g = Gates.For(gate);
        g.Entered();
        await g.Open.Task.WaitAsync(ct);
        return gate;
    }
#pragma warning restore FLOW203

    [Flow]
    public static async Task<int> Holding(int gate, CancellationToken ct) => await Held(gate, ct);
}

/// <summary>Gates a held task waits behind, one per test (tests of different classes run at the same time).</summary>
public sealed class Gates
{
    private static readonly ConcurrentDictionary<int, Gates> All = new();
    private static int s_next;
    private readonly SemaphoreSlim _entered = new(0);

    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Id { get; private init; }

    public static Gates New()
    {
        var id = Interlocked.Increment(ref s_next);
        return All[id] = new Gates { Id = id };
    }

    public static Gates For(int id) => All[id];

    public void Entered() => _entered.Release();

    /// <summary>Waits until a held task has entered the gate once more.</summary>
    public async Task WaitEnteredAsync()
    {
        if (!await _entered.WaitAsync(Patience.Timeout))
        {
            throw new TimeoutException($"No held task entered gate {Id} within {Patience.Timeout}.");
        }
    }
}

public static class Patience
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
}
