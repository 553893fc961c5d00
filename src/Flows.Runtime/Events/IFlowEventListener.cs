namespace Flows;

/// <summary>
/// Receives a run's events (<see cref="FlowRunOptions.Listeners"/>). Calls come from one thread at a
/// time, in <see cref="FlowEvent.Sequence"/> order, never from the scheduler's own threads: a slow
/// listener delays only the listeners after it and the moment <c>RunAsync</c> returns, never a task.
/// An exception it throws is logged and the listener is called no more in that run.
/// </summary>
public interface IFlowEventListener
{
    /// <summary>Called once per event.</summary>
    void OnEvent(FlowEvent flowEvent);
}
