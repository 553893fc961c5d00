using Flows.Limits;

namespace Flows.Runtime.Tests.Limits;

/// <summary>
/// The gate on its own, with waiters the test makes: places are taken all at once or not at all,
/// waiters are served first come first served, a place given back goes to the next waiter on the
/// same call, and a dropped waiter gives back nothing it did not take.
/// </summary>
public sealed class ConcurrencyGateTests
{
    private sealed class Waiter(string name, params SlotUse[] slots) : ISlotWaiter
    {
        public SlotUse[] Slots { get; } = slots;

        public RunLimits? Owner { get; init; }

        public override string ToString() => name;
    }

    [Fact]
    public void Waiters_get_a_given_back_place_in_the_order_they_came_and_on_the_call_that_gives_it_back()
    {
        var gate = new ConcurrencyGate();
        var slot = new SlotUse(new ConcurrencySlot("tag 'db'", 1));
        var a = new Waiter("a", slot);
        var b = new Waiter("b", slot);
        var c = new Waiter("c", slot);
        var d = new Waiter("d", slot);

        Assert.True(gate.TryEnter(a));
        Assert.False(gate.TryEnter(b));
        Assert.False(gate.TryEnter(c));
        Assert.False(gate.TryEnter(d));
        Assert.Equal((1, 3), (slot.Slot.InUse, slot.Slot.Waiting.Count));

        Assert.Same(b, Assert.Single(gate.Leave(a)!));
        Assert.Same(c, Assert.Single(gate.Leave(b)!));
        Assert.Same(d, Assert.Single(gate.Leave(c)!));
        Assert.Null(gate.Leave(d));
        Assert.Equal((0, 0), (slot.Slot.InUse, slot.Slot.Waiting.Count));
    }

    [Fact]
    public void A_newcomer_never_passes_a_waiter_and_a_slot_with_room_has_no_one_waiting()
    {
        var gate = new ConcurrencyGate();
        var slot = new SlotUse(new ConcurrencySlot("tag 'db'", 2));
        var a = new Waiter("a", slot);
        var b = new Waiter("b", slot);
        var c = new Waiter("c", slot);
        var late = new Waiter("late", slot);

        Assert.True(gate.TryEnter(a));
        Assert.True(gate.TryEnter(b));
        Assert.False(gate.TryEnter(c));

        // a gives back its place: c takes it at once, so the newcomer finds the slot full and waits.
        Assert.Same(c, Assert.Single(gate.Leave(a)!));
        Assert.False(gate.TryEnter(late));
        Assert.Same(late, Assert.Single(gate.Leave(b)!));
        Assert.Equal(2, slot.Held);
    }

    [Fact]
    public void A_task_run_with_several_limits_takes_all_its_places_at_once_and_holds_none_while_it_waits()
    {
        var gate = new ConcurrencyGate();
        var db = new SlotUse(new ConcurrencySlot("tag 'db'", 1));
        var http = new SlotUse(new ConcurrencySlot("tag 'http'", 1));
        var onHttp = new Waiter("onHttp", http);
        var both = new Waiter("both", db, http);
        var onDb = new Waiter("onDb", db);

        Assert.True(gate.TryEnter(onHttp));

        // 'both' finds http full: it waits and takes no place in db, so a task run of db alone goes ahead.
        Assert.False(gate.TryEnter(both));
        Assert.Equal(0, db.Slot.InUse);
        Assert.True(gate.TryEnter(onDb));

        // http comes free, but db is full now: 'both' moves to db's line, still holding nothing.
        Assert.Null(gate.Leave(onHttp));
        Assert.Equal((0, 1), (http.Slot.InUse, db.Slot.Waiting.Count));

        // db comes free: 'both' takes db and http together.
        Assert.Same(both, Assert.Single(gate.Leave(onDb)!));
        Assert.Equal((1, 1), (db.Slot.InUse, http.Slot.InUse));
        Assert.Null(gate.Leave(both));
        Assert.Equal((0, 0), (db.Slot.InUse, http.Slot.InUse));
    }

    [Fact]
    public void Giving_back_two_places_wakes_a_waiter_of_each()
    {
        var gate = new ConcurrencyGate();
        var db = new SlotUse(new ConcurrencySlot("tag 'db'", 1));
        var http = new SlotUse(new ConcurrencySlot("tag 'http'", 1));
        var both = new Waiter("both", db, http);
        var onDb = new Waiter("onDb", db);
        var onHttp = new Waiter("onHttp", http);

        Assert.True(gate.TryEnter(both));
        Assert.False(gate.TryEnter(onDb));
        Assert.False(gate.TryEnter(onHttp));

        Assert.Equal(new[] { onDb, onHttp }, gate.Leave(both)!);
    }
}
