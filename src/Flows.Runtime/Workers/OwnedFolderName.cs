using System.Globalization;

namespace Flows.Workers;

/// <summary>
/// Names of the folders a process makes for itself under a shared parent (<c>PREFIX</c>, its pid, a dash,
/// something random): read back, the pid says whose a folder is, so that folders of processes that died
/// without cleaning up (a kill -9) can be swept by the next process that starts.
/// </summary>
internal static class OwnedFolderName
{
    /// <summary>The pid in <c>PREFIX + PID-RANDOM</c>, or null for any other name.</summary>
    public static int? OwnerPid(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = name.AsSpan(prefix.Length);
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
    }
}
