namespace Flows.Storage;

/// <summary>A task result a run left in the store: the task and code that made it, and where its bytes are.</summary>
internal sealed record StoredCheckpoint(string TaskId, string? CodeHash, StoredValue Value);

/// <summary>A stored run taken over for a resume: its arguments' bytes (null when they could not be kept) and its checkpoints.</summary>
internal sealed record ClaimedRun(byte[]? Arguments, IReadOnlyDictionary<(string Node, int Element), StoredCheckpoint> Checkpoints);
