namespace Flows.Limits;

/// <summary>
/// One limit's counter: how many task runs it lets be in progress at once (<see cref="Capacity"/>),
/// how many are (<see cref="InUse"/>), and the task runs waiting for it, first come first served.
/// A <c>[Task(MaxConcurrency = n)]</c> of a run, a tag of a run's <c>FlowRunOptions.TagLimits</c> and a
/// tag of an executor's <see cref="ConcurrencyLimits"/> each have one. Every field is guarded by the
/// lock of the <see cref="ConcurrencyGate"/> the slot belongs to.
/// </summary>
/// <remarks>
/// The invariant the gate keeps: a slot with room has no one waiting in <see cref="Waiting"/>. A waiter
/// sits in the queue of exactly one of its slots, one that was full when it was put there.
/// </remarks>
internal sealed class ConcurrencySlot
{
    public ConcurrencySlot(string name, int capacity)
    {
        Name = name;
        Capacity = capacity;
    }

    /// <summary>What the limit is, for messages: <c>MaxConcurrency of task 'Fetch'</c>, <c>tag 'db'</c>.</summary>
    public string Name { get; }

    /// <summary>How many task runs may hold the slot at once (1 or more).</summary>
    public int Capacity { get; }

    /// <summary>How many task runs hold it now.</summary>
    public int InUse;

    /// <summary>The task runs waiting for this slot, oldest first.</summary>
    public readonly Queue<ISlotWaiter> Waiting = new();

    /// <summary>Whether one more task run may take the slot.</summary>
    public bool HasRoom => InUse < Capacity;

    public override string ToString() => $"{Name}: {InUse}/{Capacity}, {Waiting.Count} waiting";
}
