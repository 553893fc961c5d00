using System.Diagnostics;

namespace Flows.Storage;

/// <summary>
/// Which process runs a stored run: host, process id and the process's start time (so that a reused
/// process id does not pass for the process that died). A resume takes over a run whose owner is
/// gone, and refuses one whose owner still runs.
/// </summary>
internal readonly record struct RunOwner(string Host, int ProcessId, long StartTicks)
{
    public static RunOwner Current { get; } = Create();

    private static RunOwner Create()
    {
        using var process = Process.GetCurrentProcess();
        return new RunOwner(Environment.MachineName, process.Id, StartTicksOf(process));
    }

    /// <summary>
    /// Whether the owner still runs. An owner on another host is presumed alive: this process cannot
    /// look, and two processes driving one run would write over each other's checkpoints.
    /// </summary>
    public bool IsAlive()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (this == Current)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited && StartTicksOf(process) == StartTicks;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public override string ToString() => $"process {ProcessId} on host '{Host}'";

    private static long StartTicksOf(Process process)
    {
        try
        {
            // Rounded to the second: the start time read from another process may differ in its last digits.
            return process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return 0;
        }
    }
}
