using System.Globalization;

namespace Flows.Cluster.Memory;

/// <summary>
/// This process's memory as the kernel counts it (what a cgroup limit or the out-of-memory killer
/// sees): the resident set from /proc/self/statm (about 40 µs a read here), the peak from VmHWM.
/// Elsewhere, the runtime's working set.
/// </summary>
internal static class ProcessMemory
{
    private static readonly bool HasProc = File.Exists("/proc/self/statm");

    /// <summary>Resident bytes now.</summary>
    public static long Resident()
    {
        if (HasProc)
        {
            try
            {
                // "size resident shared text lib data dt", in pages.
                Span<byte> buffer = stackalloc byte[128];
                using var file = File.OpenHandle("/proc/self/statm");
                var read = RandomAccess.Read(file, buffer, 0);
                var text = buffer[..read];
                var space = text.IndexOf((byte)' ');
                var rest = text[(space + 1)..];
                var end = rest.IndexOf((byte)' ');
                if (long.TryParse(System.Text.Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]), NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
                {
                    return pages * Environment.SystemPageSize;
                }
            }
            catch (IOException)
            {
            }
        }

        return Environment.WorkingSet;
    }

    /// <summary>The highest resident bytes of the process's life (VmHWM), or the current ones where the kernel does not say.</summary>
    public static long Peak()
    {
        if (HasProc)
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                        && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
                    {
                        return kib * 1024;
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        return Resident();
    }
}
