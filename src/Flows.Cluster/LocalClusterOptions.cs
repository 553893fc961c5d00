using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>How <see cref="ClusterExecutor.StartLocalAsync"/> starts a temporary cluster on this machine.</summary>
public sealed class LocalClusterOptions
{
    /// <summary>Tasks each worker runs at once; 0 (the default) shares the machine's cores among the workers.</summary>
    public int ThreadsPerWorker { get; init; }

    /// <summary>Tasks each of <paramref name="workers"/> workers runs at once.</summary>
    internal int ThreadsFor(int workers) => ThreadsPerWorker > 0 ? ThreadsPerWorker : Math.Max(1, Environment.ProcessorCount / workers);

    /// <summary>
    /// Each worker's memory limit in bytes (docs/memory.md): past 60 % of it a worker spills held results
    /// to its local disk, past 80 % it starts no new task, past 95 % it is restarted and the task that grew
    /// it is Crashed with the cause. Null (the default): the machine's memory (or the container's limit)
    /// divided among the workers. 0: no limit.
    /// </summary>
    public long? WorkerMemoryLimit { get; init; }

    /// <summary>The memory limit of each of <paramref name="workers"/> workers, in bytes (0: none).</summary>
    internal long MemoryLimitFor(int workers)
    {
        if (WorkerMemoryLimit is { } limit)
        {
            return limit < 0
                ? throw new ArgumentOutOfRangeException(nameof(WorkerMemoryLimit), limit, "LocalClusterOptions.WorkerMemoryLimit must be a number of bytes (0 for no limit), not negative.")
                : limit;
        }

        return Cluster.Memory.ContainerMemory.Available() / Math.Max(1, workers);
    }

    /// <summary>
    /// TLS among the silos (and for clients that connect to the cluster's gateway) with this certificate;
    /// null (the default) for a certificate the cluster makes for itself (see <see cref="Authenticate"/>).
    /// </summary>
    public ClusterTlsOptions? Tls { get; init; }

    /// <summary>
    /// Authenticate every connection among the flow process and its workers even without
    /// <see cref="Tls"/> (the default): the cluster makes a random <see cref="ClusterSecret"/> when it
    /// starts, hands it to its workers over their stdin pipes, and drops every silo and client that
    /// cannot prove it holds it, before a byte of Orleans is read. The bytes after that proof are not
    /// encrypted: on loopback no other user can read or inject into a connection (see the README's
    /// security section). Off, any program on this machine, of any user, that finds the cluster's
    /// loopback ports can join it or connect to it, and run code in the workers as this process's
    /// user: turn it off only on a machine no one else uses. Ignored when <see cref="Tls"/> is set.
    /// </summary>
    public bool Authenticate { get; init; } = true;

    /// <summary>How long starting the cluster may take before it is given up.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Start a new worker when one dies (the default), as a cluster manager would.</summary>
    public bool ReplaceDeadWorkers { get; init; } = true;

    /// <summary>
    /// Worker deaths a task attempt is not blamed for: its worker may have died of something else, so
    /// it is run again on a survivor. Past this, the attempt is Crashed (and retried if it has retries).
    /// Only a death while the task ran counts: a request still queued on the worker moves to a survivor
    /// without being charged.
    /// </summary>
    public int WorkerDeathsForgiven { get; init; } = 1;

    /// <summary>The dotnet host that runs workers; found like ProcessExecutor's when null.</summary>
    public string? DotnetPath { get; init; }

    /// <summary>Orleans' response timeout on every silo (tests lower it to show that long tasks never meet it).</summary>
    internal TimeSpan? ResponseTimeout { get; init; }

    /// <summary>Stuck threads (of cancelled tasks that ignore their token) a worker keeps per thread before it recycles itself; null: the worker's default.</summary>
    internal int? AbandonedPerThread { get; init; }

    /// <summary>Logs of the cluster executor (worker joins and deaths, recomputations); none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
