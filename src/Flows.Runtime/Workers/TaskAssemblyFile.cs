namespace Flows.Workers;

/// <summary>
/// Checks that a task assembly's path is a readable file that looks like an assembly before a
/// worker loads it. The runtime's dependency resolver aborts the whole process on some paths it
/// cannot read (a missing file among them), and opening a FIFO blocks until something writes to
/// it: so the path's kind and length are looked at first, and only a regular, non-empty file is
/// opened, to read its first bytes.
/// </summary>
internal static class TaskAssemblyFile
{
    /// <summary>
    /// The smallest file that can be a .NET assembly: a DOS header, a PE header and a CLI header
    /// take more than this. A FIFO, a socket or a device has a length of 0 on Unix.
    /// </summary>
    private const long MinimumLength = 128;

    /// <summary>Null if <paramref name="path"/> can be loaded; otherwise why not, naming the path and what to do.</summary>
    public static string? Refusal(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "the worker was given an empty path for a task assembly; the flow process must send the file of the assembly that defines the task";
        }

        FileInfo file;
        try
        {
            file = new FileInfo(path);
            if (Directory.Exists(path))
            {
                return $"the worker could not load the task assembly {path}: it is a directory, not an assembly file. Point the flow at the built .dll";
            }

            if (!file.Exists)
            {
                return $"the worker could not load the task assembly {path}: the file does not exist. " +
                    "It was deleted, moved or not deployed next to the application: rebuild or redeploy it, or restart the flow process from where its assemblies are";
            }

            if (file.Length < MinimumLength)
            {
                return $"the worker could not load the task assembly {path}: it is not a regular assembly file " +
                    $"({(file.Length == 0 ? "empty, or a FIFO, socket or device" : $"{file.Length} bytes")}). Rebuild it or point the flow at the built .dll";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"the worker could not inspect the task assembly {path}: {ex.Message}";
        }

        try
        {
            // Only a regular file of some length gets here, so the open cannot block.
            Span<byte> header = stackalloc byte[2];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            if (stream.ReadAtLeast(header, 2, throwOnEndOfStream: false) < 2 || header[0] != (byte)'M' || header[1] != (byte)'Z')
            {
                return $"the worker could not load the task assembly {path}: it is not a .NET assembly (no PE header). Rebuild it or point the flow at the built .dll";
            }
        }
        catch (UnauthorizedAccessException)
        {
            return $"the worker could not load the task assembly {path}: it cannot read the file (permission denied). " +
                "Give the user the worker processes run as read access to it";
        }
        catch (IOException ex)
        {
            return $"the worker could not read the task assembly {path}: {ex.Message}";
        }

        return null;
    }
}
