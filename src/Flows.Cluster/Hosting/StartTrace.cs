using System.Diagnostics;

namespace Flows.Cluster.Hosting;

/// <summary>
/// The start of a local cluster, phase by phase: when the environment variable <c>FLOWS_START_TRACE</c>
/// names a file, the flow process and every worker (which inherit the variable) append one line per phase
/// to it: the wall-clock time, the process id and the phase. This is how the start time was profiled
/// (docs/cluster-start.md); off, it costs one environment read per process.
/// </summary>
internal static class StartTrace
{
    private static readonly string? s_path = Environment.GetEnvironmentVariable("FLOWS_START_TRACE") is { Length: > 0 } path ? path : null;
    private static readonly Lock s_lock = new();

    public static bool Enabled => s_path is not null;

    /// <summary>Appends "<paramref name="phase"/>" with the time now.</summary>
    public static void Mark(string phase) => Mark(phase, DateTime.Now);

    /// <summary>Marks when this process was started by the operating system (before the runtime loaded).</summary>
    public static void MarkProcessStart()
    {
        if (s_path is not null)
        {
            using var self = Process.GetCurrentProcess();
            Mark("process created", self.StartTime);
        }
    }

    private static void Mark(string phase, DateTime at)
    {
        if (s_path is null)
        {
            return;
        }

        // With the CPU time this process has used so far: on a busy machine, wall times say little.
        var cpu = Environment.CpuUsage.TotalTime.TotalMilliseconds;
        var line = $"{at:HH:mm:ss.fff} {Environment.ProcessId,7} cpu {cpu,6:0}ms {phase}{Environment.NewLine}";
        try
        {
            lock (s_lock)
            {
                File.AppendAllText(s_path, line);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A trace is no reason to fail a start.
        }
    }
}
