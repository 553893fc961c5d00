namespace Flows;

/// <summary>
/// The events a listener wants (<see cref="IFlowEventListener.Kinds"/>). A run makes only the events some
/// listener wants: a display that reads progress from <see cref="FlowStarted.Live"/> and wants only
/// failures and retries costs a run of many small tasks almost nothing. <see cref="FlowStarted"/>,
/// <see cref="FlowFinished"/> and <see cref="EventsDropped"/> are always delivered.
/// </summary>
[Flags]
public enum FlowEventKinds
{
    /// <summary>Only the run's start and end.</summary>
    None = 0,

    /// <summary><see cref="TaskStarted"/>: one per attempt.</summary>
    TaskStarted = 1,

    /// <summary><see cref="TaskFinished"/> of a task run that succeeded, was restored or taken from the cache.</summary>
    TaskSucceeded = 2,

    /// <summary><see cref="TaskFinished"/> of a task run that failed, timed out, crashed, was skipped or cancelled.</summary>
    TaskNotSucceeded = 4,

    /// <summary><see cref="TaskRetrying"/>.</summary>
    TaskRetrying = 8,

    /// <summary><see cref="MapExpanded"/> and <see cref="MapFinished"/>.</summary>
    Maps = 16,

    /// <summary><see cref="SubflowStarted"/> and <see cref="SubflowFinished"/>.</summary>
    Subflows = 32,

    /// <summary><see cref="WorkerMemoryEvent"/>s: cluster workers that spilled, paused, resumed or restarted for their memory.</summary>
    WorkerMemory = 64,

    /// <summary>Every event.</summary>
    All = TaskStarted | TaskSucceeded | TaskNotSucceeded | TaskRetrying | Maps | Subflows | WorkerMemory,
}
