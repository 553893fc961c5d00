using System.Diagnostics;

namespace Flows.Cluster.Memory;

/// <summary>
/// Where one worker spills results: a folder of its own under the temp folder
/// (<c>flows-spill-PID-RANDOM</c>), made on first use and removed when the worker exits. Folders left by
/// workers that were killed (no exit handler ran) are removed by the next worker that starts there.
/// </summary>
internal sealed class SpillFolder : IDisposable
{
    private const string Prefix = "flows-spill-";
    private readonly string _root;
    private readonly Lazy<string> _path;
    private long _next;

    public SpillFolder(string? root = null)
    {
        _root = root ?? System.IO.Path.GetTempPath();
        _path = new Lazy<string>(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The folder (made when first asked).</summary>
    public string Path => _path.Value;

    /// <summary>Opens a spill file for writing; tests replace it to make a disk that fills.</summary>
    internal Func<string, Stream> OpenForWrite { get; set; } = static path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new file and returns its path. On failure (a full disk: an
    /// <see cref="IOException"/>) the partial file is removed and the exception passed on.
    /// </summary>
    public string Write(ReadOnlySpan<byte> bytes)
    {
        var file = System.IO.Path.Combine(Path, Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".result");
        try
        {
            using var stream = OpenForWrite(file);
            stream.Write(bytes);
        }
        catch
        {
            Delete(file);
            throw;
        }

        return file;
    }

    public static byte[] Read(string file) => File.ReadAllBytes(file);

    public static void Delete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Removed with the folder at exit.
        }
    }

    private string Create()
    {
        RemoveOrphans();
        var path = System.IO.Path.Combine(_root, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
        return path;
    }

    /// <summary>Removes spill folders whose worker process is gone.</summary>
    private void RemoveOrphans()
    {
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(_root, Prefix + "*"))
            {
                var name = System.IO.Path.GetFileName(folder)[Prefix.Length..];
                var dash = name.IndexOf('-', StringComparison.Ordinal);
                if (dash > 0 && int.TryParse(name[..dash], out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's, or in use: left alone.
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
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

    public void Dispose()
    {
        if (!_path.IsValueCreated)
        {
            return;
        }

        try
        {
            Directory.Delete(_path.Value, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
