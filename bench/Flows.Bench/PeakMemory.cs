using System.Globalization;

namespace Flows.Bench;

/// <summary>
/// Peak resident memory (VmHWM, in MiB) of this process and of the processes it started (worker processes
/// and cluster workers), read from /proc on Linux; nothing elsewhere. A peak covers the process's whole life,
/// so for a cell it is the largest any of its runs reached.
/// </summary>
internal static class PeakMemory
{
    /// <summary>The peak of process <paramref name="pid"/>, or null when it cannot be read.</summary>
    public static double? OfProcess(int pid) => BytesOf(pid) is > 0 and var bytes ? bytes / 1048576.0 : null;

    /// <summary>The peak of process <paramref name="pid"/> in bytes, or 0 when it cannot be read (not Linux, or gone).</summary>
    public static long BytesOf(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>The peaks of this process's children, in no particular order.</summary>
    public static List<double> OfChildren()
    {
        var peaks = new List<double>();
        if (!OperatingSystem.IsLinux())
        {
            return peaks;
        }

        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ParentOf(pid) == self
                && OfProcess(pid) is { } peak)
            {
                peaks.Add(peak);
            }
        }

        return peaks;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
