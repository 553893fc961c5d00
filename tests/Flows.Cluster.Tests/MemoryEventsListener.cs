using System.Collections.Concurrent;

namespace Flows.Cluster.Tests;

/// <summary>Keeps a run's worker memory events, and lets a test await the first of a kind.</summary>
internal sealed class MemoryEventsListener : IFlowEventListener
{
    private readonly ConcurrentDictionary<Type, TaskCompletionSource<WorkerMemoryEvent>> _first = new();

    public ConcurrentQueue<WorkerMemoryEvent> Received { get; } = new();

    public FlowEventKinds Kinds => FlowEventKinds.WorkerMemory;

    public void OnEvent(FlowEvent flowEvent)
    {
        if (flowEvent is WorkerMemoryEvent memory)
        {
            Received.Enqueue(memory);
            First(memory.GetType()).TrySetResult(memory);
        }
    }

    /// <summary>The first event of type <typeparamref name="T"/>, failing loudly when none comes in time.</summary>
    public async Task<T> FirstAsync<T>()
        where T : WorkerMemoryEvent
    {
        try
        {
            return (T)await First(typeof(T)).Task.WaitAsync(Scratch.Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"No {typeof(T).Name} event within {Scratch.Patience.TotalSeconds} s; received: {string.Join(", ", Received.Select(e => e.GetType().Name))}");
        }
    }

    private TaskCompletionSource<WorkerMemoryEvent> First(Type type) =>
        _first.GetOrAdd(type, static _ => new TaskCompletionSource<WorkerMemoryEvent>(TaskCreationOptions.RunContinuationsAsynchronously));
}
