using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>Per-run settings that are not the flow's inputs.</summary>
public sealed class FlowRunOptions
{
    /// <summary>Where the run logs task starts, retries, failures and timeouts. None when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// When set, a run that makes no progress (no task attempt starts or finishes) for this long is
    /// reported: a warning through <see cref="LoggerFactory"/>'s logger names every task in flight and
    /// how long it has run, once per stall. Off (null) by default: a run whose one task legitimately
    /// works for hours makes no progress either, and a task's own <c>TimeoutMs</c> is the limit that
    /// stops work. The run itself goes on; must be positive.
    /// </summary>
    public TimeSpan? StallTimeout { get; init; }
}
