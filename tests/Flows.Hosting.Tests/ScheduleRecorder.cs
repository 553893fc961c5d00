using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Flows.Hosting.Tests;

/// <summary>What a schedule's start delegate saw: the clock's time at each run's start, readable as the runs come.</summary>
public sealed class ScheduleRecorder(FakeTimeProvider time)
{
    private readonly Channel<DateTimeOffset> _started = Channel.CreateUnbounded<DateTimeOffset>();
    private readonly Channel<FlowRun> _ended = Channel.CreateUnbounded<FlowRun>();
    private int _count;

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
    public async Task<DateTimeOffset> NextStartAsync() => await _started.Reader.ReadAsync().AsTask().WaitAsync(Patience.Timeout);

    /// <summary>The next run that ended.</summary>
    public async Task<FlowRun> NextEndAsync() => await _ended.Reader.ReadAsync().AsTask().WaitAsync(Patience.Timeout);
}
