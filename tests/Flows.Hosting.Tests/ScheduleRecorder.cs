using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Flows.Hosting.Tests;

/// <summary>What a schedule's start delegate saw: the clock's time at each run's start, readable as the runs come.</summary>
public sealed class ScheduleRecorder(FakeTimeProvider time, RecordingLogs logs)
{
    private readonly Channel<DateTimeOffset> _started = Channel.CreateUnbounded<DateTimeOffset>();
    private readonly Channel<FlowRun> _ended = Channel.CreateUnbounded<FlowRun>();
    private int _count;
    private int _ends;

    public int Count => Volatile.Read(ref _count);

    /// <summary>A start delegate that records the run, then runs <paramref name="start"/>.</summary>
    public Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> Records<TRun>(Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start)
        where TRun : FlowRun
        => async (executor, options, ct) =>
        {
            Interlocked.Increment(ref _count);
            _started.Writer.TryWrite(time.GetUtcNow());
            var run = await start(executor, options, ct);
            _ended.Writer.TryWrite(run);
            return run;
        };

    /// <summary>Runs <c>Compute(20)</c> (41), recorded.</summary>
    public Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<FlowRun<int>>> Compute() =>
        Records((e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 20, ct, o));

    /// <summary>Runs a flow held behind <paramref name="gate"/>, recorded.</summary>
    public Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<FlowRun<int>>> Hold(Gates gate) =>
        Records((e, o, ct) => HostedFlows.HoldingFlow.RunAsync(e, gate.Id, ct, o));

    /// <summary>The time the next run started at.</summary>
    public Task<DateTimeOffset> NextStartAsync() => Next(_started, "start");

    /// <summary>The next run that ended.</summary>
    /// <summary>
    /// The next run that ended, once its schedule has logged its end (so the schedule counts it as ended:
    /// the next due run is not an overlap).
    /// </summary>
    public async Task<FlowRun> NextEndAsync()
    {
        var run = await Next(_ended, "end");
        await logs.WaitForAsync(m => m.StartsWith("Schedule '", StringComparison.Ordinal) && m.Contains(" ended: ", StringComparison.Ordinal), "a schedule's run end", ++_ends);
        return run;
    }

    private async Task<T> Next<T>(Channel<T> channel, string what)
    {
        try
        {
            return await channel.Reader.ReadAsync().AsTask().WaitAsync(Patience.Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No scheduled run's {what} within {Patience.Timeout} (clock at {time.GetUtcNow():O}, {Count} run(s) so far). Log:\n" + string.Join("\n", logs.Records.Select(r => r.Message)));
        }
    }
}
