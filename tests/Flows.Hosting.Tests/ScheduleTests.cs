using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Flows.Hosting.Tests;

/// <summary>Schedules on a fake clock: time moves only when a test advances it, and each run is awaited.</summary>
public sealed class ScheduleTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task An_interval_schedule_runs_the_flow_with_its_parameters_once_per_interval()
    {
        await using var scheduled = await Scheduled(Minute, o => { });
        var (host, recorder) = (scheduled.Host, scheduled.Recorder);

        host.Time.Advance(Minute);
        Assert.Equal(TestHost.Start + Minute, await recorder.NextStartAsync());
        Assert.Equal(41, ((FlowRun<int>)await recorder.NextEndAsync()).Result);

        host.Time.Advance(Minute);
        Assert.Equal(TestHost.Start + (2 * Minute), await recorder.NextStartAsync());
    }

    [Fact]
    public async Task A_cron_schedule_runs_at_the_times_the_expression_names()
    {
        await using var scheduled = await Scheduled("*/5 * * * *", o => { });

        // Started at 12:01: nothing is due before 12:05, which is the first run's time.
        scheduled.Host.Time.Advance(TimeSpan.FromMinutes(3));
        scheduled.Host.Time.Advance(Minute);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 12, 5, 0, TimeSpan.Zero), await scheduled.Recorder.NextStartAsync());
        await scheduled.Recorder.NextEndAsync();

        scheduled.Host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 12, 10, 0, TimeSpan.Zero), await scheduled.Recorder.NextStartAsync());
    }

    [Fact]
    public async Task A_cron_schedule_with_seconds_reads_six_fields()
    {
        await using var scheduled = await Scheduled("30 * * * * *", o => { });

        scheduled.Host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TestHost.Start.AddSeconds(30), await scheduled.Recorder.NextStartAsync());
    }

    [Fact]
    public async Task A_cron_expression_is_read_in_the_schedules_time_zone()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("UTC+2 test", TimeSpan.FromHours(2), "UTC+2", "UTC+2");
        await using var scheduled = await Scheduled("0 15 * * *", o => o.TimeZone = plusTwo);

        // 15:00 at UTC+2 is 13:00 UTC: an hour less one minute after the start (12:01 UTC).
        scheduled.Host.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 13, 0, 0, TimeSpan.Zero), await scheduled.Recorder.NextStartAsync());
    }

    [Fact]
    public async Task A_due_run_is_skipped_while_the_previous_one_runs_by_default()
    {
        var gate = Gates.New();
        await using var scheduled = await Scheduled(Minute, o => { }, gate);

        scheduled.Host.Time.Advance(Minute);
        await gate.WaitEnteredAsync();
        scheduled.Host.Time.Advance(Minute);
        await scheduled.Host.Logs.WaitForAsync("is skipped, the previous run still runs");

        gate.Open.SetResult();
        Assert.Equal(FlowState.Succeeded, (await scheduled.Recorder.NextEndAsync()).State);
        scheduled.Host.Time.Advance(Minute);
        Assert.Equal(TestHost.Start + Minute, await scheduled.Recorder.NextStartAsync());
        Assert.Equal(TestHost.Start + (3 * Minute), await scheduled.Recorder.NextStartAsync());
    }

    [Fact]
    public async Task Queue_keeps_one_due_run_waiting_for_the_previous_one_and_skips_the_rest()
    {
        var gate = Gates.New();
        await using var scheduled = await Scheduled(Minute, o => o.Overlap = ScheduleOverlap.Queue, gate);

        scheduled.Host.Time.Advance(Minute);
        await gate.WaitEnteredAsync();
        scheduled.Host.Time.Advance(Minute);
        await scheduled.Host.Logs.WaitForAsync("waits for the previous run to end");
        scheduled.Host.Time.Advance(Minute);
        await scheduled.Host.Logs.WaitForAsync("is skipped, the previous run still runs");
        Assert.Equal(1, scheduled.Recorder.Count);

        gate.Open.SetResult();
        await scheduled.Recorder.NextEndAsync();
        await scheduled.Recorder.NextEndAsync();
        Assert.Equal(2, scheduled.Recorder.Count);
    }

    [Fact]
    public async Task Allow_starts_a_due_run_beside_the_previous_one()
    {
        var gate = Gates.New();
        await using var scheduled = await Scheduled(Minute, o => o.Overlap = ScheduleOverlap.Allow, gate);

        scheduled.Host.Time.Advance(Minute);
        await gate.WaitEnteredAsync();
        scheduled.Host.Time.Advance(Minute);
        await gate.WaitEnteredAsync();
        Assert.Equal(2, scheduled.Host.Flows.RunningFlows);
        gate.Open.SetResult();
    }

    [Fact]
    public async Task A_failed_run_and_a_throwing_start_are_logged_and_the_schedule_goes_on()
    {
        var calls = 0;
        var host = TestHost.Build(services: s => s.AddFlowSchedule("flaky", Minute, (e, o, ct) =>
            Interlocked.Increment(ref calls) switch
            {
                1 => HostedFlows.FailingFlow.RunAsync(e, 9, ct, o),
                2 => throw new InvalidOperationException("the start threw"),
                _ => HostedFlows.ComputeFlow.RunAsync(e, 1, ct, o),
            }));
        await using var _ = await host.StartAsync();

        host.Time.Advance(Minute);
        Assert.Contains("9 was refused", await host.Logs.WaitForAsync("ended: Failed"));
        host.Time.Advance(Minute);
        await host.Logs.WaitForAsync("ended: it threw (the start threw)");
        host.Time.Advance(Minute);
        await host.Logs.WaitForAsync("ended: Succeeded");
        Assert.Equal(3, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task A_host_that_wakes_up_past_several_due_times_runs_only_the_latest()
    {
        await using var scheduled = await Scheduled(Minute, o => { });

        scheduled.Host.Time.Advance(3 * Minute);
        Assert.Equal(TestHost.Start + (3 * Minute), await scheduled.Recorder.NextStartAsync());
        await scheduled.Host.Logs.WaitForAsync("2 due run(s) before");
        await scheduled.Recorder.NextEndAsync();
        scheduled.Host.Time.Advance(Minute);
        Assert.Equal(TestHost.Start + (4 * Minute), await scheduled.Recorder.NextStartAsync());
    }

    [Fact]
    public async Task RunOnce_runs_at_start_when_a_run_was_missed_while_the_host_was_down()
    {
        var state = Directory.CreateTempSubdirectory("flows-hosting-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(state.FullName, "report.last-run"), (TestHost.Start - TimeSpan.FromMinutes(10)).ToString("O"));
            await using var scheduled = await Scheduled(Minute, o => o.MissedRuns = MissedRunPolicy.RunOnce, state: state.FullName);

            Assert.Equal(TestHost.Start, await scheduled.Recorder.NextStartAsync());
            await scheduled.Recorder.NextEndAsync();
            scheduled.Host.Time.Advance(Minute);
            Assert.Equal(TestHost.Start + Minute, await scheduled.Recorder.NextStartAsync());
            await scheduled.Recorder.NextEndAsync();
            Assert.Equal((TestHost.Start + Minute).ToString("O"), await File.ReadAllTextAsync(Path.Combine(state.FullName, "report.last-run")));
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Missed_runs_are_skipped_by_default()
    {
        var state = Directory.CreateTempSubdirectory("flows-hosting-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(state.FullName, "report.last-run"), (TestHost.Start - TimeSpan.FromMinutes(10)).ToString("O"));
            await using var scheduled = await Scheduled(Minute, o => { }, state: state.FullName);

            scheduled.Host.Time.Advance(Minute);
            Assert.Equal(TestHost.Start + Minute, await scheduled.Recorder.NextStartAsync());
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_state_directory_that_cannot_be_written_is_logged_and_the_run_goes_on()
    {
        var notADirectory = Path.GetTempFileName();
        try
        {
            await using var scheduled = await Scheduled(Minute, o => { }, state: notADirectory);

            scheduled.Host.Time.Advance(Minute);
            Assert.Equal(TestHost.Start + Minute, await scheduled.Recorder.NextStartAsync());
            await scheduled.Host.Logs.WaitForAsync("could not write the time of its last run");
            Assert.Equal(FlowState.Succeeded, (await scheduled.Recorder.NextEndAsync()).State);
        }
        finally
        {
            File.Delete(notADirectory);
        }
    }

    [Fact]
    public async Task RunOnce_without_a_state_directory_stops_the_host_from_starting()
    {
        var host = TestHost.Build(services: s => s.AddFlowSchedule("report", Minute, (e, o, ct) => HostedFlows.ComputeFlow.RunAsync(e, 1, ct, o), o => o.MissedRuns = MissedRunPolicy.RunOnce));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.Host.StartAsync());
        Assert.Contains("Schedule 'report' has MissedRuns = RunOnce", e.Message);
        Assert.Contains("ScheduleStateDirectory", e.Message);
    }

    [Fact]
    public async Task A_stopped_host_runs_its_schedules_no_more()
    {
        var scheduled = await Scheduled(Minute, o => { });
        await scheduled.Host.Host.StopAsync().WaitAsync(Patience.Timeout);

        scheduled.Host.Time.Advance(5 * Minute);
        Assert.Equal(0, scheduled.Recorder.Count);
        scheduled.Host.Host.Dispose();
    }

    [Theory]
    [InlineData("* * * *")]
    [InlineData("61 * * * *")]
    [InlineData("@sometimes")]
    public void A_cron_expression_that_does_not_parse_is_refused_with_the_schedule_and_the_expression_named(string cron)
    {
        var services = new ServiceCollection();
        var e = Assert.Throws<ArgumentException>(() => services.AddFlowSchedule("report", cron, (x, o, ct) => HostedFlows.ComputeFlow.RunAsync(x, 1, ct, o)));
        Assert.Contains($"Schedule 'report': the cron expression \"{cron}\" does not parse", e.Message);
    }

    [Fact]
    public void Two_schedules_may_not_share_a_name()
    {
        var services = new ServiceCollection();
        services.AddFlowSchedule("report", Minute, (x, o, ct) => HostedFlows.ComputeFlow.RunAsync(x, 1, ct, o));
        var e = Assert.Throws<ArgumentException>(() => services.AddFlowSchedule("report", "@daily", (x, o, ct) => HostedFlows.ComputeFlow.RunAsync(x, 1, ct, o)));
        Assert.Contains("A schedule named 'report' is already registered", e.Message);
    }

    private static Task<ScheduledHost> Scheduled(string cron, Action<FlowScheduleOptions> configure) =>
        Start((s, recorder) => s.AddFlowSchedule("report", cron, recorder.Compute(), configure), null);

    private static Task<ScheduledHost> Scheduled(TimeSpan interval, Action<FlowScheduleOptions> configure, Gates? gate = null, string? state = null) =>
        Start((s, recorder) => s.AddFlowSchedule("report", interval, gate is null ? recorder.Compute() : recorder.Hold(gate), configure), state);

    private static async Task<ScheduledHost> Start(Action<IServiceCollection, ScheduleRecorder> schedule, string? state)
    {
        var time = new FakeTimeProvider(TestHost.Start);
        var logs = new RecordingLogs();
        var recorder = new ScheduleRecorder(time, logs);
        var host = TestHost.Build(f => { f.UseThreads(2); f.ScheduleStateDirectory = state; }, s => schedule(s, recorder), time, logs);
        await host.StartAsync();
        return new ScheduledHost(host, recorder);
    }

    private sealed record ScheduledHost(TestHost Host, ScheduleRecorder Recorder) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Host.DisposeAsync();
    }
}
