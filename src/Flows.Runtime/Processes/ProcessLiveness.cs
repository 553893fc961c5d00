using System.Diagnostics;

namespace Flows.Processes;

/// <summary>Whether the operating system still has a process, asked now (not what a pool last noticed).</summary>
internal static class ProcessLiveness
{
    public static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
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
}
