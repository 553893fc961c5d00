namespace Flows.Limits;

/// <summary>
/// One run's use of a <see cref="ConcurrencySlot"/>: the slot, and how many of its places this run's
/// task runs hold. A slot shared by every run of an executor has one of these per run, so that a run
/// that ends gives back what its task runs still hold (code that ignores its cancellation, an attempt
/// an executor dropped) instead of keeping the places from later runs for ever. Guarded by the gate's lock.
/// </summary>
internal sealed class SlotUse
{
    public SlotUse(ConcurrencySlot slot) => Slot = slot;

    public ConcurrencySlot Slot { get; }

    /// <summary>Places of <see cref="Slot"/> held by this run's task runs.</summary>
    public int Held;
}
