using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>Per-run settings that are not the flow's inputs.</summary>
public sealed class FlowRunOptions
{
    /// <summary>Where the run logs task starts, retries, failures and timeouts. None when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
