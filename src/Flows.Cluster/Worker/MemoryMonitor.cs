using System.Diagnostics;
using Flows.Cluster.Memory;
using Flows.Cluster.Protocol;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Worker;

/// <summary>
/// Watches a worker's memory against its <see cref="MemoryPolicy"/>, on a thread of its own, every
/// <see cref="Interval"/> (a read of /proc/self/statm, about 40 µs) and whenever held results pass the
/// target: spills results, gives the freed memory back to the system, pauses and resumes the task
/// runner, and past the terminate fraction calls for the worker's restart.
/// </summary>
/// <remarks>
/// The .NET GC keeps the pages of dropped large arrays after an ordinary collection (measured here: a
/// forced gen-2 collection left the resident set where it was), so after a spill the monitor runs an
/// aggressive collection (<see cref="GCCollectionMode.Aggressive"/>: compacts and decommits; 35-55 ms
/// with 100-250 MB live), at most every <see cref="GcInterval"/>, and while the process is past the spill
/// fraction and grew by a twentieth of the limit since the last one (garbage piles up: 40 × 50 MB arrays
/// dropped one after another peaked at 468 MiB with no collection asked for). The GC's heap hard limit is
/// set to <see cref="HardLimitFactor"/> times the limit: an allocation past it is an OutOfMemoryException
/// that the worker reports as the limit's.
/// </remarks>
internal sealed class MemoryMonitor : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static readonly TimeSpan GcInterval = TimeSpan.FromMilliseconds(200);

    public static readonly TimeSpan PausedGcInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The GC's heap hard limit, as a multiple of the memory limit: a backstop for code that allocates
    /// faster than the monitor looks (its allocation fails, and the worker restarts for it), and a GC that
    /// collects before it grows past the limit. At 1.5 the heap grew to 1.5 times the limit with garbage
    /// (mempressure: peaks of 671 and 768 MiB on 512 MiB workers, when only this thread spilled). At 1.0 it refused a
    /// 50 MB allocation at 477 MiB resident (the GC's committed memory, not the resident set, meets it). See docs/memory.md.
    /// </summary>
    public const double HardLimitFactor = 1.25;

    private readonly ResultStore _results;
    private readonly TaskRunner _runner;
    private readonly ILogger _logger;
    private readonly string _worker;
    private readonly Func<long> _resident;
    private readonly AutoResetEvent _wake = new(false);
    private readonly object _newsGate = new();
    private volatile bool _stopped;
    private long _lastGc;
    private bool _gcDue;
    private long _residentAfterGc;
    private long _lastResident;
    private long _toldPeak;
    private WorkerMemoryNews? _news;

    public MemoryMonitor(MemoryPolicy policy, ResultStore results, TaskRunner runner, string worker, ILogger logger, Func<long>? resident = null)
    {
        Policy = policy;
        _results = results;
        _runner = runner;
        _worker = worker;
        _logger = logger;
        _resident = resident ?? ProcessMemory.Resident;
        // Spilled by the thread that put the result: under load a monitor thread may not run for a while.
        results.OverTarget += () => MakeRoom();
    }

    public MemoryPolicy Policy { get; }

    /// <summary>The resident memory at the last look (what a task's start notes: a field read, no system call).</summary>
    public long LastResident => Volatile.Read(ref _lastResident);

    /// <summary>Raised on the monitor's thread with the resident bytes when the terminate fraction is passed.</summary>
    public event Action<long>? TerminateNeeded;

    /// <summary>Starts the thread, after handing the GC the limit.</summary>
    public void Start()
    {
        try
        {
            AppContext.SetData("GCHeapHardLimit", (ulong)(Policy.Limit * HardLimitFactor));
            GC.RefreshMemoryLimit();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            _logger.LogWarning("Flows worker {Worker}: the GC did not take the memory limit as its heap limit ({Error})", _worker, ex.Message);
        }

        new Thread(Loop) { IsBackground = true, Name = "Flows memory monitor" }.Start();
    }

    public void Wake() => _wake.Set();

    private void Loop()
    {
        while (!_stopped)
        {
            _wake.WaitOne(Interval);
            if (_stopped)
            {
                return;
            }

            try
            {
                Tick();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Flows worker {Worker}: the memory monitor failed", _worker);
            }
        }
    }

    private readonly object _roomGate = new();

    /// <summary>
    /// Spills held results past the target, and while the process is past the spill fraction, until it
    /// is back under the target; then gives the freed memory back (an aggressive collection, when due).
    /// Called by the monitor's thread, by the thread that put a result past the target, and before a task
    /// starts on a worker past its spill fraction. Returns the resident bytes after it.
    /// </summary>
    public long MakeRoom()
    {
        lock (_roomGate)
        {
            var resident = _resident();
            long freed = 0;
            var held = _results.HeldBytes;
            if (held > Policy.TargetBytes)
            {
                freed += _results.SpillOldest(held - Policy.TargetBytes);
            }

            if (resident > Policy.SpillBytes)
            {
                freed += _results.SpillOldest(resident - freed - Policy.TargetBytes);
            }

            // Memory the GC freed is given back only by an aggressive collection: after a spill, when the
            // process grew well past the spill fraction since the last one (garbage may have piled up), and,
            // while paused, once a second (a task that let go of its memory leaves garbage behind).
            _gcDue |= freed > 0 || (resident > Policy.SpillBytes && resident - _residentAfterGc > Policy.Limit / 20)
                || (_runner.IsPaused && Stopwatch.GetElapsedTime(_lastGc) >= PausedGcInterval);
            if (freed > 0)
            {
                // Cheap (a few ms: the arrays of numbers results mostly are hold no references): what was
                // spilled is garbage now, and its memory is reused by the next allocation instead of growing the heap.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            }

            if (_gcDue && resident > Policy.PauseBytes && Stopwatch.GetElapsedTime(_lastGc) >= GcInterval)
            {
                resident = GiveBack();
            }

            Volatile.Write(ref _lastResident, resident);
            return resident;
        }
    }

    /// <summary>Whether a task about to start should first make room (field reads only: no system call per task).</summary>
    public bool ShouldMakeRoom => LastResident > Policy.TargetBytes || _results.HeldBytes > Policy.TargetBytes;

    /// <summary>One look at the memory, and what follows from it.</summary>
    internal void Tick()
    {
        var resident = MakeRoom();
        if (resident > Policy.TerminateBytes)
        {
            // A collection first: a restart costs far more than one, and garbage may be all it is.
            lock (_roomGate)
            {
                resident = GiveBack();
            }

            if (resident > Policy.TerminateBytes)
            {
                Volatile.Write(ref _lastResident, resident);
                _runner.Pause();
                TerminateNeeded?.Invoke(resident);
                return;
            }
        }

        Volatile.Write(ref _lastResident, resident);
        if (resident > Policy.PauseBytes)
        {
            PauseIfOver(resident);
        }
        else if (_runner.IsPaused)
        {
            _runner.Resume();
            _logger.LogInformation("Flows worker {Worker}: memory {Resident} is back under {Fraction:0} % of its limit; tasks start again", _worker, MemorySize.Format(resident), Policy.Pause * 100);
            _results.Counters.Resumed();
        }

        if (resident > _toldPeak + (Policy.Limit / 16))
        {
            // A new peak worth telling (at most 16 times on the way to the limit).
            _toldPeak = resident;
            _results.Counters.Bump();
        }
    }

    /// <summary>Pauses the runner when <paramref name="resident"/> is past the pause fraction (and it is not paused yet).</summary>
    public void PauseIfOver(long resident)
    {
        lock (_roomGate)
        {
            if (resident <= Policy.PauseBytes || _runner.IsPaused)
            {
                return;
            }

            _runner.Pause();
        }

        _logger.LogWarning("Flows worker {Worker}: memory {Resident} passed {Fraction:0} % of its {Limit} limit; no new task starts until it is back under", _worker, MemorySize.Format(resident), Policy.Pause * 100, MemorySize.Format(Policy.Limit));
        _results.Counters.Paused();
    }

    private long GiveBack()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _lastGc = Stopwatch.GetTimestamp();
        _gcDue = false;
        return _residentAfterGc = _resident();
    }

    /// <summary>The news for the clients' poll answers: made again only when a counter changed.</summary>
    public WorkerMemoryNews News()
    {
        var counters = _results.Counters;
        var version = counters.Version;
        var news = Volatile.Read(ref _news);
        if (news is not null && news.Version == version)
        {
            return news;
        }

        lock (_newsGate)
        {
            news = new WorkerMemoryNews
            {
                Version = version,
                Limit = Policy.Limit,
                Resident = LastResident,
                Peak = ProcessMemory.Peak(),
                BytesSpilled = counters.BytesSpilled,
                BytesReadBack = counters.BytesReadBack,
                Spills = counters.Spills,
                SpillFailures = counters.SpillFailures,
                Pauses = counters.Pauses,
                Resumes = counters.Resumes,
                LastSpillError = counters.LastSpillError,
                Paused = _runner.IsPaused,
                HeldBytes = _results.HeldBytes,
                SpilledResults = _results.SpilledCount,
            };
            Volatile.Write(ref _news, news);
            return news;
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _wake.Set();
    }
}
