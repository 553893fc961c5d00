using System.Globalization;

namespace Flows.Cluster.Memory;

/// <summary>
/// How much memory this process may use when nobody said: the container's cgroup limit (what
/// Kubernetes sets from a pod's <c>resources.limits.memory</c>), or else the machine's memory.
/// </summary>
internal static class ContainerMemory
{
    /// <summary>cgroup v2: the limit of this process's cgroup (<c>max</c> when there is none).</summary>
    public const string CgroupV2Limit = "/sys/fs/cgroup/memory.max";

    /// <summary>cgroup v1: the memory controller's limit (a huge number when there is none).</summary>
    public const string CgroupV1Limit = "/sys/fs/cgroup/memory/memory.limit_in_bytes";

    /// <summary>
    /// The cgroup's memory limit in bytes, or null when there is none: no file, <c>max</c>, or a value no
    /// real limit has (v1 writes about 2^63 for "unlimited"; a limit above the machine's memory limits nothing).
    /// </summary>
    public static long? ReadCgroupLimit(string v2Path = CgroupV2Limit, string v1Path = CgroupV1Limit, long? machineMemory = null)
    {
        var machine = machineMemory ?? MachineMemory();
        foreach (var path in new[] { v2Path, v1Path })
        {
            string text;
            try
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                text = File.ReadAllText(path).Trim();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (text == "max")
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0)
            {
                return limit >= machine ? null : limit;
            }
        }

        return null;
    }

    /// <summary>The machine's memory: <c>MemTotal</c> of /proc/meminfo, or what the runtime sees.</summary>
    public static long MachineMemory()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var digits = line["MemTotal:".Length..].Trim().Split(' ')[0];
                    if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                    {
                        return kib * 1024;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no procfs: the runtime's view below.
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>What a worker may use when no limit was given: the container's limit, else the machine's memory.</summary>
    public static long Available() => ReadCgroupLimit() ?? MachineMemory();
}
