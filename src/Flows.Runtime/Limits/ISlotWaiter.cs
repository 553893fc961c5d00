namespace Flows.Limits;

/// <summary>
/// A task run that needs places in some slots before it may be handed to an executor: in the
/// runtime, a <see cref="TaskAttempt"/>; in tests, whatever the test makes.
/// </summary>
internal interface ISlotWaiter
{
    /// <summary>The slots it needs, every one of them at once (as the run uses them).</summary>
    SlotUse[] Slots { get; }

    /// <summary>The run whose limits these are: its cancellation drops its waiters.</summary>
    RunLimits? Owner { get; }
}
