using Microsoft.Extensions.Logging;

namespace Flows.Hosting.Schedules;

/// <summary>
/// Runs one <see cref="FlowSchedule"/> while its host runs: waits for each due time on the host's
/// <see cref="TimeProvider"/>, applies the overlap policy, starts the run through the <see cref="FlowHost"/>, and
/// writes the time of each run to the schedule's state file when there is one.
/// </summary>
/// <remarks>
/// Due times follow each other (the next after the last due one, not after "now"), so a tick is never lost to a
/// late wake-up. When the host wakes up past several due times at once (it was suspended, the clock jumped),
/// only the latest of them runs and the others are logged as skipped.
/// </remarks>
internal sealed class ScheduleRunner
{
    private readonly object _gate = new();
    private readonly FlowSchedule _schedule;
    private readonly FlowHost _host;
    private readonly TimeProvider _time;
    private readonly LastRunFile? _lastRun;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private int _inFlight;
    private DateTimeOffset? _queued;
    private Task _loop = Task.CompletedTask;

    public ScheduleRunner(FlowSchedule schedule, FlowHost host, TimeProvider time, string? stateDirectory, ILoggerFactory loggerFactory)
    {
        _schedule = schedule;
        _host = host;
        _time = time;
        _log = loggerFactory.CreateLogger("Flows.Hosting.Schedules");
        if (stateDirectory is not null)
        {
            _lastRun = new LastRunFile(stateDirectory, schedule.Name);
        }
        else if (schedule.Options.MissedRuns == MissedRunPolicy.RunOnce)
        {
            throw new InvalidOperationException(
                $"Schedule '{schedule.Name}' has MissedRuns = RunOnce, which needs to know when it last ran: set FlowsHostOptions.ScheduleStateDirectory to a folder the host may write, or use MissedRunPolicy.Skip.");
        }
    }

    /// <summary>Ends when the schedule has stopped waiting (runs it started are the host's to drain).</summary>
    public Task Stopped => _loop;

    /// <summary>Begins waiting for the first due time; the clock is read now, before this returns.</summary>
    public void Start()
    {
        var now = _time.GetUtcNow();
        if (_schedule.Options.MissedRuns == MissedRunPolicy.RunOnce && _lastRun?.Read() is { } last &&
            _schedule.NextAfter(last) is { } missed && missed <= now)
        {
            _log.LogInformation("Schedule '{Schedule}': a run due at {Due} was missed while the host was down (last run {Last}); it runs now.", _schedule.Name, missed, last);
            Fire(now);
        }

        _loop = LoopAsync(_schedule.NextAfter(now));
    }

    /// <summary>Stops waiting for due times, and drops a queued run.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _queued = null;
        }

        _stop.Cancel();
    }

    private async Task LoopAsync(DateTimeOffset? next)
    {
        try
        {
            while (next is { } due)
            {
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
                }

                _stop.Token.ThrowIfCancellationRequested();
                due = LatestDue(due);
                Fire(due);
                next = _schedule.NextAfter(due);
            }

            _log.LogInformation("Schedule '{Schedule}' has no further due time.", _schedule.Name);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>The latest due time that has passed, starting from <paramref name="due"/>: the ones before it are skipped.</summary>
    private DateTimeOffset LatestDue(DateTimeOffset due)
    {
        var now = _time.GetUtcNow();
        var skipped = 0;
        while (_schedule.NextAfter(due) is { } later && later <= now)
        {
            due = later;
            skipped++;
        }

        if (skipped > 0)
        {
            _log.LogWarning("Schedule '{Schedule}': woke up late; {Count} due run(s) before {Due} are skipped and the one due at {Due} runs.", _schedule.Name, skipped, due, due);
        }

        return due;
    }

    private void Fire(DateTimeOffset due)
    {
        lock (_gate)
        {
            if (_inFlight > 0 && _schedule.Options.Overlap != ScheduleOverlap.Allow)
            {
                if (_schedule.Options.Overlap == ScheduleOverlap.Queue && _queued is null)
                {
                    _queued = due;
                    _log.LogInformation("Schedule '{Schedule}': the run due at {Due} waits for the previous run to end.", _schedule.Name, due);
                }
                else
                {
                    _log.LogWarning("Schedule '{Schedule}': the run due at {Due} is skipped, the previous run still runs (Overlap = {Overlap}).", _schedule.Name, due, _schedule.Options.Overlap);
                }

                return;
            }

            _inFlight++;
        }

        // Off the waiting loop: a LocalExecutor runs the whole flow in the caller.
        _ = Task.Run(() => RunAsync(due));
    }

    private async Task RunAsync(DateTimeOffset due)
    {
        while (true)
        {
            Action report;
            RecordLastRun(due);
            try
            {
                var run = await _host.RunAsync(_schedule.Start).ConfigureAwait(false);
                report = run.Succeeded
                    ? () => _log.LogInformation("Schedule '{Schedule}': the run due at {Due} ended: Succeeded in {Duration}.", _schedule.Name, due, run.Duration)
                    : () => _log.LogWarning("Schedule '{Schedule}': the run due at {Due} ended: {State}, {Failure}. The schedule goes on.", _schedule.Name, due, run.State, run.FirstFailure?.Exception?.Message ?? "no task failed");
            }
            catch (Exception e)
            {
                report = () => _log.LogError(e, "Schedule '{Schedule}': the run due at {Due} ended: it threw ({Message}); the schedule goes on.", _schedule.Name, due, e.Message);
            }

            // The run's end is logged once the schedule counts it as ended, so that what reads the log sees a
            // schedule ready for its next run.
            DateTimeOffset? next;
            lock (_gate)
            {
                next = _stop.IsCancellationRequested ? null : _queued;
                _queued = null;
                if (next is null)
                {
                    _inFlight--;
                }
            }

            report();
            if (next is not { } queued)
            {
                return;
            }

            due = queued;
        }
    }

    /// <summary>Writes the run's due time to the state file; a write that fails is logged and does not hold the run back.</summary>
    private void RecordLastRun(DateTimeOffset due)
    {
        try
        {
            _lastRun?.Write(due);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning(e, "Schedule '{Schedule}': could not write the time of its last run ({Message}); the run goes on, but a restart will not know it happened.", _schedule.Name, e.Message);
        }
    }
}
