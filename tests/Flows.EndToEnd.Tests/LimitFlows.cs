namespace Flows.EndToEnd.Tests;

/// <summary>
/// Flows whose tasks are limited: an asynchronous mapped task with <c>MaxConcurrency</c>, and two
/// synchronous mapped tasks that share a tag. Each task waits a while so that task runs would overlap
/// if nothing stopped them.
/// </summary>
public static partial class LimitFlows
{
    [Task(MaxConcurrency = 2)]
    public static async Task<int> Fetch(int x, int ms, CancellationToken ct)
    {
        await Task.Delay(ms, ct);
        return x * 2;
    }

    [Task(Tags = new[] { "db" })]
    public static int Write(int x, int ms)
    {
        Thread.Sleep(ms);
        return x + 1;
    }

    [Task(Tags = new[] { "db", "audit" })]
    public static int Read(int x, int ms)
    {
        Thread.Sleep(ms);
        return x + 2;
    }

    [Task]
    public static int Total(int[] values) => values.Sum();

    [Task]
    public static int Both(int[] written, int[] read) => written.Sum() + read.Sum();

    [Flow]
    public static async Task<int> FetchAll(int[] xs, int ms, CancellationToken ct)
    {
        var fetched = await Flow.Map(Fetch, xs, ms, ct);
        return Total(fetched);
    }

    [Flow]
    public static int WriteAndRead(int[] xs, int ms)
    {
        var written = Flow.Map(Write, xs, ms);
        var read = Flow.Map(Read, xs, ms);
        return Both(written, read);
    }
}
