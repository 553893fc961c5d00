namespace Flows.Cluster.Protocol;

/// <summary>
/// What a poll brings back: outcomes, numbered. The client's next poll says the number of the last
/// answer it received, and a worker sends an answer again until it is acknowledged, so an answer lost
/// on its way (the client's call timed out under load while the worker had already handed the outcomes
/// over) is not lost for good.
/// </summary>
[GenerateSerializer, Immutable]
internal sealed class PollAnswer
{
    /// <summary>The answer's number; that of the last answer with outcomes when this one has none.</summary>
    [Id(0)]
    public long Sequence { get; init; }

    [Id(1)]
    public TaskOutcome[] Outcomes { get; init; } = [];

    /// <summary>The worker's memory news, when it changed since the last answer; null otherwise (always, without a memory limit).</summary>
    [Id(2)]
    public WorkerMemoryNews? Memory { get; init; }
}
