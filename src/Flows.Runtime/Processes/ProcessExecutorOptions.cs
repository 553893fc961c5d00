namespace Flows;

/// <summary>Settings of a <see cref="ProcessExecutor"/>.</summary>
public sealed class ProcessExecutorOptions
{
    /// <summary>
    /// Path of <c>Flows.Worker.dll</c>. By default it is looked for next to the application
    /// (a project reference to <c>Flows.Worker</c> puts it there) and next to <c>Flows.Runtime.dll</c>.
    /// </summary>
    public string? WorkerPath { get; init; }

    /// <summary>The <c>dotnet</c> host that starts workers; by default the one running this process.</summary>
    public string? DotnetPath { get; init; }

    /// <summary>
    /// How many tasks without a timeout may be queued on one worker at once. More hides the round
    /// trip to the worker for short tasks; fewer balances long tasks of uneven length better.
    /// A task with a timeout always goes to an idle worker, so that its clock measures only its own run.
    /// </summary>
    public int MaxTasksInFlightPerWorker { get; init; } = 16;

    /// <summary>
    /// Whether large results (256 KiB and more encoded) move through shared memory (<c>/dev/shm</c>, Linux
    /// only) instead of the worker's socket: written once by the worker that made them and, when only
    /// tasks read them, never decoded in the flow process but read in place by the workers of those tasks.
    /// On by default; off, or on other systems, every value travels in the socket's frames.
    /// </summary>
    public bool UseSharedMemory { get; init; } = true;

    /// <summary>How long a worker may take to start and answer the handshake.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a worker may go on running a task of a cancelled run (ignoring the cancellation)
    /// before it is killed and replaced, so that the executor's capacity comes back.
    /// </summary>
    internal TimeSpan CancelGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Test hook: the build id announced to workers instead of the assembly's real one.</summary>
    internal Guid? BuildOverride { get; init; }

    /// <summary>Test hook: the path of the task assembly announced to workers instead of its real file.</summary>
    internal string? AssemblyPathOverride { get; init; }
}
