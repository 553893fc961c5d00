namespace Flows.Limits;

/// <summary>
/// Where task runs take and give back places in <see cref="ConcurrencySlot"/>s, under one lock. A task
/// run with several limits (a <c>MaxConcurrency</c> and tags) takes all its places at once or none, so
/// that no task run holds one place while it waits for another (no deadlock). A task run that finds a
/// slot full waits in that slot's queue, holding nothing (no thread, no worker); a place given back
/// goes at once, on the thread that gave it back, to the first waiter (no polling).
/// </summary>
/// <remarks>
/// Fairness is first come first served per slot: a new task run never takes a place someone waits
/// for (a slot with room has no waiters). A waiter that needs several slots and is woken by one while
/// another is full moves to the back of the full one's queue.
/// </remarks>
internal sealed class ConcurrencyGate
{
    private readonly object _lock = new();

    /// <summary>
    /// Takes every place <paramref name="waiter"/> needs and returns true, or puts it in line and
    /// returns false: it is then returned by a later <see cref="Leave"/> (or <see cref="EndRun"/>) once it holds them.
    /// </summary>
    public bool TryEnter(ISlotWaiter waiter)
    {
        var slots = waiter.Slots;
        lock (_lock)
        {
            var full = FirstFull(slots);
            if (full is null)
            {
                Take(slots);
                return true;
            }

            full.Waiting.Enqueue(waiter);
            return false;
        }
    }

    /// <summary>
    /// Gives back the places <paramref name="holder"/> holds; returns the waiters that now hold theirs,
    /// to be handed to their executors (null when none).
    /// </summary>
    public List<ISlotWaiter>? Leave(ISlotWaiter holder)
    {
        var slots = holder.Slots;
        List<ISlotWaiter>? woken = null;
        lock (_lock)
        {
            if (holder.Owner is { Ended: true })
            {
                // The run's end gave everything back already.
                return null;
            }

            foreach (var use in slots)
            {
                use.Held--;
                use.Slot.InUse--;
            }

            foreach (var use in slots)
            {
                Wake(use.Slot, ref woken);
            }
        }

        return woken;
    }

    /// <summary>
    /// The run <paramref name="run"/> was cancelled: its waiters leave the queues (they hold nothing,
    /// so nothing is given back; their records are the run's cancellation's to finish).
    /// </summary>
    public int Drop(RunLimits run, IReadOnlyList<SlotUse> slots)
    {
        var dropped = 0;
        lock (_lock)
        {
            foreach (var use in slots)
            {
                var queue = use.Slot.Waiting;
                for (var n = queue.Count; n > 0; n--)
                {
                    var waiter = queue.Dequeue();
                    if (waiter.Owner == run)
                    {
                        dropped++;
                    }
                    else
                    {
                        queue.Enqueue(waiter);
                    }
                }
            }
        }

        return dropped;
    }

    /// <summary>
    /// The run <paramref name="run"/> ended: what its task runs still hold is given back (code that did
    /// not stop when the run was cancelled no longer counts), and it gives back nothing later. Returns the
    /// waiters (of other runs sharing the slots) that now hold their places.
    /// </summary>
    public List<ISlotWaiter>? EndRun(RunLimits run, IReadOnlyList<SlotUse> slots)
    {
        List<ISlotWaiter>? woken = null;
        lock (_lock)
        {
            if (run.Ended)
            {
                return null;
            }

            run.Ended = true;
            foreach (var use in slots)
            {
                use.Slot.InUse -= use.Held;
                use.Held = 0;
            }

            foreach (var use in slots)
            {
                Wake(use.Slot, ref woken);
            }
        }

        return woken;
    }

    /// <summary>How many places of <paramref name="slot"/> are held now.</summary>
    public int InUseOf(ConcurrencySlot slot)
    {
        lock (_lock)
        {
            return slot.InUse;
        }
    }

    /// <summary>Lets waiters of <paramref name="slot"/> in while it has room. Under the lock.</summary>
    private static void Wake(ConcurrencySlot slot, ref List<ISlotWaiter>? woken)
    {
        while (slot.HasRoom && slot.Waiting.TryDequeue(out var next))
        {
            if (next.Owner is { Ended: true })
            {
                continue;
            }

            var full = FirstFull(next.Slots);
            if (full is null)
            {
                Take(next.Slots);
                (woken ??= new List<ISlotWaiter>()).Add(next);
            }
            else
            {
                // Another of its slots is full: it waits there now, holding nothing.
                full.Waiting.Enqueue(next);
            }
        }
    }

    private static ConcurrencySlot? FirstFull(SlotUse[] slots)
    {
        foreach (var use in slots)
        {
            if (!use.Slot.HasRoom)
            {
                return use.Slot;
            }
        }

        return null;
    }

    private static void Take(SlotUse[] slots)
    {
        foreach (var use in slots)
        {
            use.Held++;
            use.Slot.InUse++;
        }
    }
}
