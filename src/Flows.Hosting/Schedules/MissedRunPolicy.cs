namespace Flows.Hosting;

/// <summary>What a schedule does, when the host starts, about runs that were due while the host was down.</summary>
public enum MissedRunPolicy
{
    /// <summary>Nothing: the schedule waits for its next tick. The default.</summary>
    Skip,

    /// <summary>
    /// When at least one tick passed since the schedule's last run, one run starts at once (however many ticks
    /// were missed). Needs <see cref="FlowsHostOptions.ScheduleStateDirectory"/>, where the last run is kept;
    /// a schedule that has never run has missed nothing.
    /// </summary>
    RunOnce,
}
