using System.Globalization;
using System.IO.MemoryMappedFiles;

namespace Flows.Workers;

/// <summary>
/// Large task values moved between processes of one machine through files in shared memory
/// (<c>/dev/shm</c>, a RAM-backed file system on Linux) instead of sockets: the writer copies the
/// encoded bytes into a file once, and every reader maps the file and decodes in place. A socket
/// copies the same bytes through the kernel twice per hop and makes the reader allocate a buffer for them.
/// </summary>
/// <remarks>
/// Files live in folders named <c>flows-shm-PID-RANDOM</c> after the process that owns them
/// (the flow process for a <see cref="ProcessExecutor"/>, the worker for a cluster worker), readable by
/// this user alone. The owner deletes its files when they are no longer needed and its folder when it
/// ends; a process killed with -9 cannot, so every owner that starts removes the folders of processes
/// that no longer run (<see cref="RemoveStale"/>). On other systems <see cref="Root"/> is null and
/// values travel in messages, as before.
/// </remarks>
internal static class SharedMemory
{
    /// <summary>Encoded values at least this large go through a file; smaller ones are cheaper to send in a message.</summary>
    public const int MinBytes = 256 * 1024;

    private const string Prefix = "flows-shm-";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The shared-memory file system, or null where there is none (not Linux, or no writable <c>/dev/shm</c>).</summary>
    public static string? Root { get; } = FindRoot();

    /// <summary>Test hook: the root to use instead of <see cref="Root"/> (null: the real one). Set before the owner starts.</summary>
    internal static string? RootOverride { get; set; }

    private static string? CurrentRoot => RootOverride ?? Root;

    /// <summary>
    /// Names this machine's shared memory, for processes to tell whether they share it: the boot id
    /// (new at every boot of every machine) and the host name (a container's own). Empty where there is none.
    /// A reader that cannot see a file named to it falls back to a message anyway.
    /// </summary>
    public static string HostKey { get; } = FindHostKey();

    /// <summary>Creates this process's new folder, or returns null when there is no shared memory to use.</summary>
    public static string? CreateDirectory()
    {
        if (OperatingSystem.IsWindows() || CurrentRoot is not { } root)
        {
            return null;
        }

        try
        {
            var path = Path.Combine(root, Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(path, OwnerOnly);
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Deletes a folder made by <see cref="CreateDirectory"/> and what is in it; a folder already gone is no error.</summary>
    public static void DeleteDirectory(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Removes the folders of processes that are not running (only folders shaped like ours: a pid in
    /// the name, owner-only access). Failures are ignored: another process may be removing the same folder.
    /// </summary>
    public static void RemoveStale()
    {
        if (OperatingSystem.IsWindows() || CurrentRoot is not { } root)
        {
            return;
        }

        List<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(root, Prefix + "*-*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var directory in candidates)
        {
            if (OwnerPid(Path.GetFileName(directory)) is not { } pid || pid == Environment.ProcessId || Processes.ProcessLiveness.IsAlive(pid))
            {
                continue;
            }

            try
            {
                if (File.GetUnixFileMode(directory) == OwnerOnly)
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>The pid in <c>flows-shm-PID-RANDOM</c>, or null for any other name.</summary>
    internal static int? OwnerPid(string name) => OwnedFolderName.OwnerPid(name, Prefix);

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new file at <paramref name="path"/>. A file that could not
    /// be written whole (the shared memory is full) is deleted and the error rethrown: the caller then
    /// sends the value in a message instead.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        // A name that exists already is refused (not ours to overwrite or delete).
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        try
        {
            // One write: the kernel fills whole pages, so tmpfs need not zero them first.
            RandomAccess.Write(handle, bytes, 0);
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Deletes a value's file; one already gone is no error.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Decodes a value from the bytes of a shared-memory file.</summary>
    public delegate object? Decoder(ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Maps the file at <paramref name="path"/>, checks that it holds exactly <paramref name="length"/>
    /// bytes, and decodes them in place. A missing or short file is a <see cref="SharedMemoryException"/>
    /// that says which value it held (<paramref name="what"/>); what the decoder throws goes through.
    /// </summary>
    public static unsafe object? Read(string path, long length, string what, Decoder decode)
    {
        MemoryMappedFile map;
        try
        {
            // Opened and mapped read-only: a reader can never change the value for the others.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            if (file.Length != length)
            {
                throw new SharedMemoryException($"{what}: its shared-memory file {path} holds {file.Length} bytes where {length} were written. " +
                    "Something else changed the file (nothing but Flows may write under /dev/shm/flows-shm-*), or the shared memory filled up.");
            }

            if (length == 0)
            {
                return decode(ReadOnlySpan<byte>.Empty);
            }

            map = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SharedMemoryException($"{what}: its shared-memory file {path} is gone. It is deleted when its run ends or its executor is disposed; " +
                "something else deleted it while the run still needed it (a cleanup of /dev/shm?). Run the flow again.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SharedMemoryException($"{what}: its shared-memory file {path} could not be read: {ex.Message}", ex);
        }

        using (map)
        using (var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read))
        {
            var handle = view.SafeMemoryMappedViewHandle;
            byte* pointer = null;
            handle.AcquirePointer(ref pointer);
            try
            {
                return decode(new ReadOnlySpan<byte>(pointer + view.PointerOffset, checked((int)length)));
            }
            finally
            {
                handle.ReleasePointer();
            }
        }
    }

    private static string FindHostKey()
    {
        if (Root is null)
        {
            return string.Empty;
        }

        try
        {
            return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() + "/" + Environment.MachineName;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static string? FindRoot()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("FLOWS_NO_SHARED_MEMORY") == "1")
        {
            return null;
        }

        const string shm = "/dev/shm";
        try
        {
            return Directory.Exists(shm) && (File.GetUnixFileMode(shm) & UnixFileMode.OtherWrite) != 0 ? shm : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>A value kept in shared memory could not be read: its file is gone, short or unreadable. The message says which value and why.</summary>
internal sealed class SharedMemoryException : IOException
{
    public SharedMemoryException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
