using Flows.Cluster.Protocol;
using Flows.Cluster.Worker;

namespace Flows.Cluster.Tests;

/// <summary>
/// A poll's answer lost on its way (the client's call timed out under load after the worker had
/// handed the outcomes over) is sent again until the client's next poll acknowledges it: a task's
/// outcome is never lost, so its run cannot hang on it.
/// </summary>
public sealed class ClientOutboxTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static TaskOutcome Done(long id) => new() { RequestId = id, Kind = OutcomeKind.Succeeded };

    [Fact]
    public async Task An_answer_the_client_did_not_acknowledge_is_sent_again()
    {
        var outbox = new ClientOutbox(Guid.NewGuid());
        outbox.Add(Done(1));

        var first = await outbox.PollAsync(TimeSpan.FromMilliseconds(10), received: 0).WaitAsync(Patience);
        Assert.Equal(1, first.Sequence);
        Assert.Equal([1L], first.Outcomes.Select(o => o.RequestId));

        // The answer never arrived: the client polls again with what it last received.
        var again = await outbox.PollAsync(TimeSpan.FromMilliseconds(10), received: 0).WaitAsync(Patience);
        Assert.Equal(1, again.Sequence);
        Assert.Equal([1L], again.Outcomes.Select(o => o.RequestId));

        // Acknowledged: nothing more to send.
        var empty = await outbox.PollAsync(TimeSpan.FromMilliseconds(10), received: 1).WaitAsync(Patience);
        Assert.Empty(empty.Outcomes);
        Assert.Equal(1, empty.Sequence);
    }

    [Fact]
    public async Task An_answer_given_to_a_waiting_poll_whose_caller_left_is_sent_to_the_next_poll()
    {
        var outbox = new ClientOutbox(Guid.NewGuid());

        // The client's call gave up; the poll still waits on the worker and takes the outcome.
        var abandoned = outbox.PollAsync(TimeSpan.FromSeconds(30), received: 0);
        outbox.Add(Done(7));
        Assert.Equal([7L], (await abandoned.WaitAsync(Patience)).Outcomes.Select(o => o.RequestId));

        var next = await outbox.PollAsync(TimeSpan.FromMilliseconds(10), received: 0).WaitAsync(Patience);
        Assert.Equal([7L], next.Outcomes.Select(o => o.RequestId));

        // Once acknowledged, the next answer holds only what is new, under a new number.
        outbox.Add(Done(8));
        var merged = await outbox.PollAsync(TimeSpan.FromMilliseconds(10), received: next.Sequence).WaitAsync(Patience);
        Assert.Equal([8L], merged.Outcomes.Select(o => o.RequestId));
        Assert.True(merged.Sequence > next.Sequence);
    }
}
