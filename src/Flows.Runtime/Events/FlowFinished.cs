namespace Flows;

/// <summary>
/// A run ended: the last event of every run. Never dropped, and delivered to every listener before
/// <c>RunAsync</c> returns.
/// </summary>
public sealed class FlowFinished : FlowEvent
{
    internal FlowFinished(FlowRun run, long timestamp)
        : base(run.RunId, run.FlowName, timestamp)
    {
        Run = run;
    }

    /// <summary>The run's record, as <c>RunAsync</c> returns it.</summary>
    public FlowRun Run { get; }

    /// <summary>How the run ended.</summary>
    public FlowState State => Run.State;

    /// <summary>How long it took.</summary>
    public TimeSpan Duration => Run.Duration;
}
