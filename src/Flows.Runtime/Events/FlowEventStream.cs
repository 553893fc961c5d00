using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Flows;

/// <summary>
/// A listener to read a run's events with <c>await foreach</c> while the run goes:
/// <code>
/// var events = new FlowEventStream();
/// var running = MyFlow.RunAsync(executor, ..., options: new FlowRunOptions { Listeners = [events] });
/// await foreach (var e in events.ReadAllAsync()) { ... }   // ends after FlowFinished
/// </code>
/// One stream serves one run. It holds what the reader has not read yet; the run's own buffer
/// (<see cref="FlowRunOptions.EventBufferCapacity"/>) bounds what the run keeps for it.
/// </summary>
public sealed class FlowEventStream : IFlowEventListener
{
    private readonly Channel<FlowEvent> _events = Channel.CreateUnbounded<FlowEvent>(new UnboundedChannelOptions { SingleWriter = true });

    /// <inheritdoc />
    public void OnEvent(FlowEvent flowEvent)
    {
        _events.Writer.TryWrite(flowEvent);
        if (flowEvent is FlowFinished)
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>The run's events in order; completes after <see cref="FlowFinished"/>.</summary>
    public async IAsyncEnumerable<FlowEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var flowEvent in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return flowEvent;
        }
    }
}
