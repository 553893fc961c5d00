namespace Flows.Storage;

/// <summary>One thing for the store's writer to do, in the order it was asked.</summary>
internal abstract class StoreWrite
{
    /// <summary>The run it belongs to, told when the write fails; null for none.</summary>
    public RunStore? Run { get; init; }

    /// <summary>A value's blob file, deleted when the write fails (its row would not name it).</summary>
    public virtual string? Blob => null;
}

/// <summary>A task's result for a run: what a resume restores.</summary>
internal sealed class CheckpointWrite : StoreWrite
{
    public required string RunId { get; init; }

    public required string Node { get; init; }

    public required int Element { get; init; }

    public required string TaskId { get; init; }

    public required string? CodeHash { get; init; }

    public required StoredValue Value { get; init; }

    public override string? Blob => Value.Blob;
}

/// <summary>A task's result under its cache key.</summary>
internal sealed class CacheWrite : StoreWrite
{
    public required byte[] Key { get; init; }

    public required string CacheKey { get; init; }

    public required long Created { get; init; }

    public required long Expires { get; init; }

    public required StoredValue Value { get; init; }

    public override string? Blob => Value.Blob;
}

/// <summary>A cache entry was read: it is the most recently used.</summary>
internal sealed class CacheUseWrite : StoreWrite
{
    public required byte[] Key { get; init; }

    public required long Used { get; init; }
}

/// <summary>A run ended (or stopped): its state, and no process owns it any longer.</summary>
internal sealed class RunEndWrite : StoreWrite
{
    public required string RunId { get; init; }

    public required FlowState State { get; init; }

    public required long Updated { get; init; }
}

/// <summary>Completes once everything asked before it is committed (or has failed).</summary>
internal sealed class FlushWrite : StoreWrite
{
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
