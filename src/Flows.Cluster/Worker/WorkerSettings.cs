namespace Flows.Cluster.Worker;

/// <summary>How one worker silo runs tasks: set from the worker command's options.</summary>
internal sealed class WorkerSettings
{
    /// <summary>Task assemblies loaded at start (the user's build).</summary>
    public IReadOnlyList<string> Assemblies { get; init; } = [];

    /// <summary>Tasks that run at once on this worker.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Whether a client may name an assembly by path for the worker to load: only for workers a
    /// local cluster started on the client's own machine.
    /// </summary>
    public bool AllowLoadByPath { get; init; }

    /// <summary>
    /// How many threads stuck in cancelled tasks that ignore their token the worker keeps per thread
    /// of its own (each replaced by a new thread) before it recycles its process.
    /// </summary>
    public int AbandonedPerThread { get; init; } = 4;

    /// <summary>
    /// The worker's memory limit in bytes (see <see cref="Memory.MemoryPolicy"/>); 0: none, results are
    /// never spilled and the worker never pauses or restarts for its memory.
    /// </summary>
    public long MemoryLimit { get; init; }

    /// <summary>The folder under which the worker makes its spill folder (the temp folder when null).</summary>
    public string? SpillRoot { get; init; }

    /// <summary>How long a client may go without polling before its results are dropped.</summary>
    public TimeSpan ClientExpiry { get; init; } = TimeSpan.FromSeconds(60);
}
