namespace Flows;

/// <summary>
/// Short forms of the listeners most runs want: hooks on a task's failure or retry and on the run's
/// end (Prefect's state handlers and <c>on_failure</c>). Each returns an <see cref="IFlowEventListener"/>
/// for <see cref="FlowRunOptions.Listeners"/>.
/// </summary>
public static class FlowListener
{
    /// <summary>Calls <paramref name="onEvent"/> with every event.</summary>
    public static IFlowEventListener Create(Action<FlowEvent> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        return new ActionListener(onEvent);
    }

    /// <summary>
    /// Calls <paramref name="onFailed"/> when a task run ends failed, timed out or crashed with no retry
    /// left (an element of a <c>Flow.TryMap</c> too: see <see cref="TaskFinished.FailureKept"/>).
    /// </summary>
    public static IFlowEventListener OnTaskFailed(Action<TaskFinished> onFailed)
    {
        ArgumentNullException.ThrowIfNull(onFailed);
        return Create(e =>
        {
            if (e is TaskFinished { State: TaskState.Failed or TaskState.TimedOut or TaskState.Crashed } finished)
            {
                onFailed(finished);
            }
        });
    }

    /// <summary>Calls <paramref name="onRetrying"/> each time an attempt did not succeed and the task will be tried again.</summary>
    public static IFlowEventListener OnTaskRetrying(Action<TaskRetrying> onRetrying)
    {
        ArgumentNullException.ThrowIfNull(onRetrying);
        return Create(e =>
        {
            if (e is TaskRetrying retrying)
            {
                onRetrying(retrying);
            }
        });
    }

    /// <summary>Calls <paramref name="onFinished"/> once, when the run ends, however it ends.</summary>
    public static IFlowEventListener OnFlowFinished(Action<FlowFinished> onFinished)
    {
        ArgumentNullException.ThrowIfNull(onFinished);
        return Create(e =>
        {
            if (e is FlowFinished finished)
            {
                onFinished(finished);
            }
        });
    }

    /// <summary>Calls <paramref name="onFailed"/> once, when the run ends failed or cancelled.</summary>
    public static IFlowEventListener OnFlowFailed(Action<FlowFinished> onFailed)
    {
        ArgumentNullException.ThrowIfNull(onFailed);
        return Create(e =>
        {
            if (e is FlowFinished { State: not FlowState.Succeeded } finished)
            {
                onFailed(finished);
            }
        });
    }

    private sealed class ActionListener(Action<FlowEvent> onEvent) : IFlowEventListener
    {
        public void OnEvent(FlowEvent flowEvent) => onEvent(flowEvent);
    }
}
