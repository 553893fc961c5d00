using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>
/// Watches one top-level run (and its subflows) for progress: an attempt that starts or settles.
/// When none happens for <see cref="FlowRunOptions.StallTimeout"/>, it logs a warning through the
/// run's logger naming every task in flight and how long it has run; once per stall (progress re-arms it).
/// </summary>
internal sealed class RunWatchdog : IDisposable
{
    private readonly string _flowName;
    private readonly TimeSpan _timeout;
    private readonly ILogger? _logger;
    private readonly ConcurrentDictionary<TaskAttempt, long> _inFlight = new(ReferenceEqualityComparer.Instance);
    private readonly Timer _timer;
    private long _lastProgress;
    private int _reported;

    public RunWatchdog(string flowName, TimeSpan timeout, ILogger? logger)
    {
        _flowName = flowName;
        _timeout = timeout;
        _logger = logger;
        _lastProgress = Stopwatch.GetTimestamp();
        _timer = new Timer(static s => ((RunWatchdog)s!).Check(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Start()
    {
        // Checked four times per timeout, so a stall is reported at most a quarter late.
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, _timeout.Ticks / 4));
        _timer.Change(period, period);
    }

    public void Started(TaskAttempt attempt)
    {
        _inFlight[attempt] = Stopwatch.GetTimestamp();
        Progress();
    }

    public void Settled(TaskAttempt attempt)
    {
        _inFlight.TryRemove(attempt, out _);
        Progress();
    }

    public void Dispose() => _timer.Dispose();

    private void Progress()
    {
        Volatile.Write(ref _lastProgress, Stopwatch.GetTimestamp());
        Volatile.Write(ref _reported, 0);
    }

    private void Check()
    {
        var idle = Stopwatch.GetElapsedTime(Volatile.Read(ref _lastProgress));
        if (idle < _timeout || Interlocked.Exchange(ref _reported, 1) != 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var tasks = _inFlight
            .Select(p => (p.Key.TaskName, Running: Stopwatch.GetElapsedTime(p.Value, now)))
            .OrderByDescending(t => t.Running)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"'{t.TaskName}' running for {t.Running.TotalSeconds:F1} s"))
            .ToArray();
        var inFlight = tasks.Length == 0 ? "no task is running (ready tasks wait for the executor's workers)" : $"{tasks.Length} task(s) in flight: {string.Join(", ", tasks)}";
        RunLog.FlowStalled(_logger, _flowName, idle.TotalSeconds, _timeout.TotalSeconds, inFlight);
    }
}
