using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>
/// One run's event stream (subflows share their parent's): the scheduler publishes into a queue, one
/// delivery loop calls the listeners. Publishing never waits: past <see cref="FlowRunOptions.EventBufferCapacity"/>
/// undelivered events, new ones are counted and dropped, and the listeners get an
/// <see cref="EventsDropped"/> instead. <see cref="FinishAsync"/> delivers <see cref="FlowFinished"/>
/// whatever the count, and completes when every listener has seen it.
/// </summary>
internal sealed class EventSink
{
    private readonly IFlowEventListener?[] _listeners;
    private readonly Channel<FlowEvent> _queue = Channel.CreateUnbounded<FlowEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _capacity;
    private readonly ILogger? _logger;
    private readonly Task _delivery;

    // Queued where a run of drops begins, so that the listeners hear of the drops after the events
    // kept before them (not before events that were still waiting when the drops began).
    private readonly EventsDropped _dropsBeginHere;
    private int _queued;
    private long _dropped;
    private long _sequence;

    private EventSink(IReadOnlyList<IFlowEventListener> listeners, int capacity, string runId, string flowName, ILogger? logger)
    {
        _listeners = [.. listeners];
        _capacity = capacity;
        _logger = logger;
        RunId = runId;
        FlowName = flowName;
        _dropsBeginHere = new EventsDropped(runId, flowName, default, 0);
        _delivery = Task.Run(DeliverAsync);
    }

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
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            Interlocked.Decrement(ref _queued);
            if (Interlocked.Increment(ref _dropped) == 1)
            {
                _queue.Writer.TryWrite(_dropsBeginHere);
            }

            return;
        }

        _queue.Writer.TryWrite(flowEvent);
    }

    /// <summary>Delivers the run's last event and waits until every listener has seen everything.</summary>
    public Task FinishAsync(FlowFinished finished)
    {
        _queue.Writer.TryWrite(finished);
        _queue.Writer.TryComplete();
        return _delivery;
    }

    private async Task DeliverAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var flowEvent))
            {
                if (ReferenceEquals(flowEvent, _dropsBeginHere))
                {
                    // Every drop since the marker was queued (the next drop queues a new one).
                    var dropped = Interlocked.Exchange(ref _dropped, 0);
                    if (dropped > 0)
                    {
                        Deliver(new EventsDropped(RunId, FlowName, DateTimeOffset.UtcNow, dropped));
                    }

                    continue;
                }

                if (flowEvent is not FlowFinished)
                {
                    Interlocked.Decrement(ref _queued);
                }

                Deliver(flowEvent);
            }
        }
    }

    private void Deliver(FlowEvent flowEvent)
    {
        flowEvent.Sequence = ++_sequence;
        for (var i = 0; i < _listeners.Length; i++)
        {
            var listener = _listeners[i];
            if (listener is null)
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
