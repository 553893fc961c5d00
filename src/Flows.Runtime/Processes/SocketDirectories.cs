using System.Globalization;

namespace Flows.Processes;

/// <summary>
/// The temporary folders that hold a pool's sockets while its workers connect. Each is named
/// <c>flows-PID-RANDOM</c> after the flow process that made it, which removes it on dispose; a flow
/// process killed with -9 cannot, so a pool that starts removes the folders of flow processes that
/// no longer run.
/// </summary>
internal static class SocketDirectories
{
    private const string Prefix = "flows-";

    /// <summary>What <see cref="Directory.CreateTempSubdirectory"/> gives on Unix: the owner alone may enter.</summary>
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates this process's new folder (readable by this user alone).</summary>
    public static string Create() =>
        Directory.CreateTempSubdirectory(Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-").FullName;

    /// <summary>
    /// Removes the folders of flow processes that are not running, among those this user may
    /// remove. Only folders shaped like ours are touched: a pid in the name, owner-only access
    /// (another user's is closed to us), and nothing inside but sockets. Failures are ignored:
    /// another pool may be removing the same folder.
    /// </summary>
    public static void RemoveStale()
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*-*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var directory in candidates)
        {
            if (OwnerPid(Path.GetFileName(directory)) is not { } pid || pid == Environment.ProcessId || IsRunning(pid))
            {
                continue;
            }

            try
            {
                if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(directory) != OwnerOnly)
                {
                    continue;
                }

                if (Directory.EnumerateFileSystemEntries(directory).Any(entry => !entry.EndsWith(".sock", StringComparison.Ordinal) || Directory.Exists(entry)))
                {
                    continue;
                }

                Directory.Delete(directory, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or already gone.
            }
        }
    }

    /// <summary>The pid in <c>flows-PID-RANDOM</c>, or null for any other name.</summary>
    internal static int? OwnerPid(string name) => Workers.OwnedFolderName.OwnerPid(name, Prefix);

    private static bool IsRunning(int pid) => ProcessLiveness.IsAlive(pid);
}
