namespace Flows.Hosting;

/// <summary>How a schedule of <c>AddFlowSchedule</c> behaves.</summary>
public sealed class FlowScheduleOptions
{
    /// <summary>The time zone a cron expression is read in (daylight saving included). UTC by default; ignored by interval schedules.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>What happens when a run is due while the previous one still runs. <see cref="ScheduleOverlap.Skip"/> by default.</summary>
    public ScheduleOverlap Overlap { get; set; } = ScheduleOverlap.Skip;

    /// <summary>What happens, at start, to runs missed while the host was down. <see cref="MissedRunPolicy.Skip"/> by default.</summary>
    public MissedRunPolicy MissedRuns { get; set; } = MissedRunPolicy.Skip;
}
