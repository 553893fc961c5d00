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
    private TaskCompletionSource<TaskOutcome[]>? _waiter;
    private long _lastPoll = Stopwatch.GetTimestamp();

    public ClientOutbox(Guid client) => Client = client;

    public Guid Client { get; }

    /// <summary>Requests of this client being prepared or run here, with their cancellation.</summary>
    public ConcurrentDictionary<long, RequestWork> Running { get; } = new();

    public TimeSpan SinceLastPoll => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastPoll));

    public void Add(TaskOutcome outcome)
    {
        _ready.Enqueue(outcome);
        TaskCompletionSource<TaskOutcome[]>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult(Drain());
    }

    /// <summary>Notes that a request's code started: told with the next answer, without waking a poll.</summary>
    public void NoteStarted(long requestId) => _started.Enqueue(requestId);

    public async Task<TaskOutcome[]> PollAsync(TimeSpan longestWait)
    {
        Volatile.Write(ref _lastPoll, Stopwatch.GetTimestamp());
        TaskCompletionSource<TaskOutcome[]> waiter;
        lock (_gate)
        {
            if (!_ready.IsEmpty)
            {
                return Drain();
            }

            // A previous poll whose caller went away is answered empty: only one waits at a time.
            _waiter?.TrySetResult([]);
            waiter = _waiter = new TaskCompletionSource<TaskOutcome[]>(TaskCreationOptions.RunContinuationsAsynchronously);
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

        // Completed meanwhile by Add (which drained): hand that over rather than lose it.
        return waiter.Task.IsCompleted ? await waiter.Task.ConfigureAwait(false) : Drain();
    }

    private TaskOutcome[] Drain()
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

        return list.ToArray();
    }
}
