namespace Flows.Cluster.Memory;

/// <summary>
/// What a worker does as its memory grows toward its limit, as fractions of the limit (Dask's four
/// thresholds; the numbers and why are in docs/memory.md):
/// <list type="bullet">
/// <item><see cref="Target"/>: results held in memory past it are spilled to disk, least recently used first.</item>
/// <item><see cref="Spill"/>: process memory past it spills held results until it is back under the target.</item>
/// <item><see cref="Pause"/>: process memory past it stops the worker from starting new tasks, until it is back under.</item>
/// <item><see cref="Terminate"/>: process memory past it restarts the worker; the task that grew it is reported Crashed.</item>
/// </list>
/// </summary>
internal sealed record MemoryPolicy(long Limit, double Target = MemoryPolicy.DefaultTarget, double Spill = MemoryPolicy.DefaultSpill, double Pause = MemoryPolicy.DefaultPause, double Terminate = MemoryPolicy.DefaultTerminate)
{
    public const double DefaultTarget = 0.60;
    public const double DefaultSpill = 0.70;
    public const double DefaultPause = 0.80;
    public const double DefaultTerminate = 0.95;

    public long TargetBytes => (long)(Limit * Target);

    public long SpillBytes => (long)(Limit * Spill);

    public long PauseBytes => (long)(Limit * Pause);

    public long TerminateBytes => (long)(Limit * Terminate);
}
