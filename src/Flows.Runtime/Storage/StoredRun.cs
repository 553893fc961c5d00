namespace Flows;

/// <summary>What a store knows of one run (<see cref="FlowStore.ListRuns"/>).</summary>
/// <param name="RunId">The run's id: what <c>ResumeAsync</c> takes.</param>
/// <param name="FlowName">The flow it is a run of.</param>
/// <param name="State">How it ended; <see cref="FlowState.Running"/> while it runs, or when its process died (<paramref name="Interrupted"/>).</param>
/// <param name="Interrupted">It was running in a process that is gone (killed, crashed, powered off): resume it.</param>
/// <param name="Started">When it was first started.</param>
/// <param name="Updated">When it last started, resumed or ended.</param>
/// <param name="Checkpoints">Task results kept for it.</param>
public sealed record StoredRun(
    string RunId,
    string FlowName,
    FlowState State,
    bool Interrupted,
    DateTimeOffset Started,
    DateTimeOffset Updated,
    int Checkpoints);
