using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>
/// One run's event stream (subflows share their parent's): the scheduler publishes into a queue, one
/// delivery loop calls the listeners. Publishing never waits and seldom wakes anything: the loop reads
/// the queue every <see cref="DeliveryInterval"/>, or sooner when <see cref="WakeEvery"/> events are
/// waiting, so a run of many small tasks does not pay a thread wake-up per event. Past
/// <see cref="FlowRunOptions.EventBufferCapacity"/> undelivered events, new ones are counted and
/// dropped, and the listeners get an <see cref="EventsDropped"/> instead. <see cref="FinishAsync"/>
/// delivers <see cref="FlowFinished"/> whatever the count, and completes when every listener has seen it.
/// </summary>
internal sealed class EventSink
{
    /// <summary>How long an event may wait for its delivery at most (a display refreshes ten times slower).</summary>
    public static readonly TimeSpan DeliveryInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Every this many events admitted, the delivery loop is woken if it sleeps.</summary>
    private const int WakeEvery = 1024;

    private readonly IFlowEventListener?[] _listeners;
    private readonly FlowEventKinds[] _wants;
    private readonly ConcurrentQueue<FlowEvent> _queue = new();
    private readonly int _capacity;
    private readonly ILogger? _logger;
    private readonly Task _delivery;
    private TaskCompletionSource? _wake;
    private FlowFinished? _finished;

    /// <summary>Events admitted into the queue (the only counter publishers write).</summary>
    private long _admitted;

    /// <summary>Events the delivery loop took out of the queue (written by the loop alone).</summary>
    private long _taken;
    private long _dropped;
    private long _sequence;

    private EventSink(IReadOnlyList<IFlowEventListener> listeners, int capacity, string runId, string flowName, ILogger? logger)
    {
        _listeners = [.. listeners];
        _wants = [.. listeners.Select(l => l.Kinds)];
        Kinds = _wants.Aggregate(FlowEventKinds.None, (all, one) => all | one);
        _capacity = capacity;
        _logger = logger;
        RunId = runId;
        FlowName = flowName;
        _delivery = Task.Run(DeliverAsync);
    }

    /// <summary>What some listener wants: the events the run makes.</summary>
    public FlowEventKinds Kinds { get; }

    /// <summary>Whether some listener wants events of <paramref name="kind"/>.</summary>
    public bool Wants(FlowEventKinds kind) => (Kinds & kind) != 0;

    /// <summary>The run's id, as its events carry it.</summary>
    public string RunId { get; }

    /// <summary>The top-level flow's name, as its events (a subflow's too) carry it.</summary>
    public string FlowName { get; }

    /// <summary>A sink for a run with listeners, or null: a run nobody listens to pays a null test per event.</summary>
    public static EventSink? Create(FlowRunOptions? options, string flowName, string runId, ILogger? logger)
    {
        if (options?.Listeners is not { Count: > 0 } listeners)
        {
            return null;
        }

        for (var i = 0; i < listeners.Count; i++)
        {
            if (listeners[i] is null)
            {
                throw new ArgumentException($"Flow '{flowName}': FlowRunOptions.Listeners[{i}] is null; remove it or give a listener.", nameof(options));
            }
        }

        if (options.EventBufferCapacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.EventBufferCapacity, $"Flow '{flowName}': FlowRunOptions.EventBufferCapacity must be positive.");
        }

        return new EventSink(listeners, options.EventBufferCapacity, runId, flowName, logger);
    }

    /// <summary>Queues an event for the listeners, or drops it when they are too far behind.</summary>
    public void Publish(FlowEvent flowEvent)
    {
        var admitted = Interlocked.Increment(ref _admitted);
        if (admitted - Volatile.Read(ref _taken) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Enqueue(flowEvent);
        if (admitted % WakeEvery == 0)
        {
            Volatile.Read(ref _wake)?.TrySetResult();
        }
    }

    /// <summary>Delivers the run's last event and waits until every listener has seen everything.</summary>
    public Task FinishAsync(FlowFinished finished)
    {
        Volatile.Write(ref _finished, finished);
        Volatile.Read(ref _wake)?.TrySetResult();
        return _delivery;
    }

    private async Task DeliverAsync()
    {
        while (true)
        {
            // Read before the drain: whatever was published before the run finished is in the queue then.
            var finished = Volatile.Read(ref _finished);
            Drain();
            if (finished is not null)
            {
                TellDropped();
                Deliver(finished);
                return;
            }

            var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _wake, wake);
            if (_queue.IsEmpty && Volatile.Read(ref _finished) is null)
            {
                await Task.WhenAny(wake.Task, Task.Delay(DeliveryInterval)).ConfigureAwait(false);
            }

            Volatile.Write(ref _wake, null);
        }
    }

    private void Drain()
    {
        var any = false;
        while (_queue.TryDequeue(out var flowEvent))
        {
            Volatile.Write(ref _taken, _taken + 1);
            Deliver(flowEvent);
            any = true;
        }

        // What was dropped came after what was queued when it was: told once the queue is read.
        if (any)
        {
            TellDropped();
        }
    }

    private void TellDropped()
    {
        var dropped = Interlocked.Exchange(ref _dropped, 0);
        if (dropped > 0)
        {
            Deliver(new EventsDropped(RunId, FlowName, EventClock.Now, dropped));
        }
    }

    private void Deliver(FlowEvent flowEvent)
    {
        flowEvent.Sequence = ++_sequence;
        var kind = flowEvent.Kind;
        for (var i = 0; i < _listeners.Length; i++)
        {
            var listener = _listeners[i];
            if (listener is null || (kind != FlowEventKinds.None && (_wants[i] & kind) == 0))
            {
                continue;
            }

            try
            {
                listener.OnEvent(flowEvent);
            }
            catch (Exception ex)
            {
                // A listener that throws is taken out of this run: the others, and the run, go on.
                _listeners[i] = null;
                RunLog.ListenerFailed(_logger, FlowName, listener.GetType().FullName ?? listener.GetType().Name, flowEvent.GetType().Name, ex);
            }
        }
    }
}
