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

    /// <summary>
    /// The events this listener wants (read once, when the run starts): <see cref="FlowEventKinds.All"/>
    /// unless it says less. A run makes only what some listener wants.
    /// </summary>
    FlowEventKinds Kinds => FlowEventKinds.All;
}
