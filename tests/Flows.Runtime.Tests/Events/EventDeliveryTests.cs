using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>How events reach listeners: never holding up the scheduler, bounded, and checked options.</summary>
public sealed class EventDeliveryTests
{
    private static readonly TimeSpan Patience = Scratch.Patience;

    /// <summary>A listener stuck on the first event until the last task's code runs: the run still runs every task, and later events are dropped past the buffer.</summary>
    [Fact]
    public async Task A_listener_stuck_on_an_event_holds_up_no_task_and_what_overflows_is_dropped_and_counted()
    {
        var lastTaskRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<FlowEvent>();
        var stuck = FlowListener.Create(e =>
        {
            if (received.Count == 0 && !lastTaskRan.Task.Wait(Patience))
            {
                throw new TimeoutException("the run's last task never ran while a listener was stuck: the listener held up the scheduler");
            }

            received.Add(e);
        });

        var g = new TestGraph("stuck-listener", "xs");
        var doubled = g.Map(ConformanceTasks.Square, MapAdapter<int, int>.Instance, g.P(0));
        var last = g.Task(Tasks.Sync("Last", (a, _) =>
        {
            lastTaskRan.TrySetResult();
            return a.Get<int[]>(0).Sum();
        }), doubled);

        // The local executor runs every task inline on the scheduler's own thread: if a listener
        // were called there, the last task could not run while the first event is being delivered.
        var options = new FlowRunOptions { Listeners = [stuck], EventBufferCapacity = 16 };
        var run = await FlowRunner.RunAsync<int>(g.Build(last), new LocalExecutor(), [Enumerable.Range(0, 200).ToArray()], options).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 200).Sum(x => x * x), run.Result);
        Assert.IsType<FlowStarted>(received[0]);
        Assert.IsType<FlowFinished>(received[^1]);
        var dropped = received.OfType<EventsDropped>().Sum(e => e.Count);
        Assert.True(dropped > 0, "a buffer of 16 events held a run of 400");

        // Nothing is lost unannounced: every event the run made was delivered or counted as dropped.
        var made = 1 + 1 + (200 * 2) + 1 + 2 + 1; // started, map expanded, each element started and finished, map finished, Last started and finished, finished
        Assert.Equal(made, received.Count(e => e is not EventsDropped) + dropped);
        Assert.Equal(Enumerable.Range(1, received.Count).Select(i => (long)i), received.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Bad_listener_options_are_refused_with_the_flow_named()
    {
        var g = new TestGraph("bad-listeners", "x");
        var graph = g.Build(g.Task(Tasks.Inc, g.P(0)));

        var nullListener = await Assert.ThrowsAsync<ArgumentException>(() =>
            FlowRunner.RunAsync<int>(graph, new LocalExecutor(), [1], new FlowRunOptions { Listeners = [new RecordedEvents(), null!] }));
        Assert.Contains("Flow 'bad-listeners': FlowRunOptions.Listeners[1] is null", nullListener.Message);

        var noRoom = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            FlowRunner.RunAsync<int>(graph, new LocalExecutor(), [1], new FlowRunOptions { Listeners = [new RecordedEvents()], EventBufferCapacity = 0 }));
        Assert.Contains("EventBufferCapacity must be positive", noRoom.Message);
    }
}
