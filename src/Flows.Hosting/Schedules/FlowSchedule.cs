using Cronos;

namespace Flows.Hosting;

/// <summary>
/// A flow run on a cron expression or an interval, registered with <c>AddFlowSchedule</c> and run by the
/// <see cref="FlowHost"/> of the host: each due run goes through <see cref="FlowHost.RunAsync{TRun}"/>, so it logs
/// to the host's logger factory and is drained at shutdown. A run that fails or throws is logged; the schedule goes on.
/// </summary>
public sealed class FlowSchedule
{
    private readonly CronExpression? _cron;

    internal FlowSchedule(string name, string? cron, TimeSpan? interval, Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<FlowRun>> start, FlowScheduleOptions options)
    {
        Name = name;
        Cron = cron;
        Interval = interval;
        Start = start;
        Options = options;
        if (cron is not null)
        {
            _cron = ParseCron(name, cron);
        }
    }

    /// <summary>The schedule's name: in its log records and the name of its state file.</summary>
    public string Name { get; }

    /// <summary>The cron expression (5 fields, or 6 with seconds first, or a macro such as <c>@daily</c>), or null for an interval schedule.</summary>
    public string? Cron { get; }

    /// <summary>The time between runs of an interval schedule, or null for a cron schedule.</summary>
    public TimeSpan? Interval { get; }

    /// <summary>Its time zone, overlap and missed-run policies.</summary>
    public FlowScheduleOptions Options { get; }

    internal Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<FlowRun>> Start { get; }

    /// <summary>The first time after <paramref name="after"/> the flow is due, or null when it never is again.</summary>
    internal DateTimeOffset? NextAfter(DateTimeOffset after) =>
        _cron is { } cron ? cron.GetNextOccurrence(after, Options.TimeZone) : after + Interval!.Value;

    /// <summary>
    /// Reads a cron expression as Cronos does: six fields are seconds first, anything else the standard five
    /// (or a macro). The generator's FLOW056 makes the same choice for a constant expression at compile time.
    /// </summary>
    internal static CronExpression ParseCron(string name, string cron)
    {
        var fields = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            return CronExpression.Parse(cron, format);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException(
                $"Schedule '{name}': the cron expression \"{cron}\" does not parse: {e.Message} Write five fields (minute hour day-of-month month day-of-week), six with seconds first, or a macro such as @daily.",
                nameof(cron),
                e);
        }
    }
}
