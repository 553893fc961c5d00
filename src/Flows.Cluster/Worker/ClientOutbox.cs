using System.Collections.Concurrent;
using System.Diagnostics;
using Flows.Cluster.Protocol;

namespace Flows.Cluster.Worker;

/// <summary>
/// The outcomes waiting for one client on one worker. The client keeps one poll outstanding; an
/// outcome completes it at once, and outcomes that arrive meanwhile go out together with the next poll.
/// </summary>
internal sealed class ClientOutbox
{
    private readonly ConcurrentQueue<TaskOutcome> _ready = new();
    private readonly ConcurrentQueue<long> _started = new();
    private readonly object _gate = new();
    private TaskCompletionSource<PollAnswer>? _waiter;

    /// <summary>The last answer with outcomes, until the client's next poll says it arrived.</summary>
    private PollAnswer? _unacknowledged;
    private long _sequence;
    private long _lastPoll = Stopwatch.GetTimestamp();

    /// <summary>The version of the memory news last sent to this client (see <see cref="WorkerMemoryNews"/>).</summary>
    private long _newsSent;

    public ClientOutbox(Guid client, Func<WorkerMemoryNews?>? memory = null)
    {
        Client = client;
        _memory = memory;
    }

    /// <summary>The worker's memory news now, or null for a worker without a memory limit.</summary>
    private readonly Func<WorkerMemoryNews?>? _memory;

    public Guid Client { get; }

    /// <summary>Requests of this client being prepared or run here, with their cancellation.</summary>
    public ConcurrentDictionary<long, RequestWork> Running { get; } = new();

    public TimeSpan SinceLastPoll => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastPoll));

    public void Add(TaskOutcome outcome)
    {
        _ready.Enqueue(outcome);
        TaskCompletionSource<PollAnswer>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(Answer());
    }

    /// <summary>Wakes a waiting poll so that news (of the worker's memory) goes out without waiting for an outcome.</summary>
    public void Nudge()
    {
        TaskCompletionSource<PollAnswer>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(Answer());
    }

    /// <summary>Whether every outcome handed over reached the client (its next poll acknowledged it).</summary>
    public bool IsDelivered
    {
        get
        {
            lock (_gate)
            {
                return _ready.IsEmpty && _unacknowledged is null;
            }
        }
    }

    /// <summary>Notes that a request's code started: told with the next answer, without waking a poll.</summary>
    public void NoteStarted(long requestId) => _started.Enqueue(requestId);

    /// <summary>
    /// The next answer for the client, waiting at most <paramref name="longestWait"/> for one.
    /// <paramref name="received"/> is the last answer the client got: when it is not the last one sent,
    /// that one was lost on its way and is sent again.
    /// </summary>
    public async Task<PollAnswer> PollAsync(TimeSpan longestWait, long received)
    {
        Volatile.Write(ref _lastPoll, Stopwatch.GetTimestamp());
        TaskCompletionSource<PollAnswer> waiter;
        lock (_gate)
        {
            if (_unacknowledged is { } lost && lost.Sequence > received)
            {
                return lost;
            }

            _unacknowledged = null;
            if (!_ready.IsEmpty)
            {
                return Answer();
            }

            // A previous poll whose caller went away is answered empty: only one waits at a time.
            // (Had it been answered with outcomes, they would be unacknowledged and sent above.)
            _waiter?.TrySetResult(Empty());
            waiter = _waiter = new TaskCompletionSource<PollAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var done = await Task.WhenAny(waiter.Task, Task.Delay(longestWait)).ConfigureAwait(false);
        if (done == waiter.Task)
        {
            return await waiter.Task.ConfigureAwait(false);
        }

        lock (_gate)
        {
            if (_waiter == waiter)
            {
                _waiter = null;
            }
        }

        // Completed meanwhile by Add: hand that over rather than lose it.
        return waiter.Task.IsCompleted ? await waiter.Task.ConfigureAwait(false) : Answer();
    }

    /// <summary>Everything ready, as a numbered answer kept until the client acknowledges it.</summary>
    private PollAnswer Answer()
    {
        lock (_gate)
        {
            var list = new List<TaskOutcome>(_ready.Count + _started.Count);

            // Starts first: a request that started and ended in this answer is known to have started.
            while (_started.TryDequeue(out var id))
            {
                list.Add(new TaskOutcome { RequestId = id, Kind = OutcomeKind.Started });
            }

            while (_ready.TryDequeue(out var outcome))
            {
                list.Add(outcome);
            }

            if (list.Count == 0)
            {
                return Empty();
            }

            if (_unacknowledged is { } pending)
            {
                // Not yet acknowledged: the new outcomes go out with it, under a new number.
                list.InsertRange(0, pending.Outcomes);
            }

            _unacknowledged = new PollAnswer { Sequence = ++_sequence, Outcomes = list.ToArray(), Memory = News() };
            return _unacknowledged;
        }
    }

    private PollAnswer Empty() => new() { Sequence = Volatile.Read(ref _sequence), Memory = News() };

    /// <summary>The memory news when it changed since the last answer; null otherwise (one delegate test without a limit).</summary>
    private WorkerMemoryNews? News()
    {
        if (_memory?.Invoke() is not { } news || news.Version == Volatile.Read(ref _newsSent))
        {
            return null;
        }

        // News is a snapshot of counters over the worker's life: an answer lost on its way loses nothing the next one does not say.
        Volatile.Write(ref _newsSent, news.Version);
        return news;
    }
}
