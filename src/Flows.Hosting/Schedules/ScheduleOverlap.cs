namespace Flows.Hosting;

/// <summary>What a schedule does when a run is due while its previous run still runs.</summary>
public enum ScheduleOverlap
{
    /// <summary>The due run is skipped (and logged); the next one is due at the next tick. The default.</summary>
    Skip,

    /// <summary>One due run waits and starts when the previous one ends; further ticks while one waits are skipped.</summary>
    Queue,

    /// <summary>The due run starts at once, beside the previous one.</summary>
    Allow,
}
