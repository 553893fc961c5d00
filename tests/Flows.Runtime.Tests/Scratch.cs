namespace Flows.Runtime.Tests;

/// <summary>
/// Coordination between a test and its tasks through files in the test's own scratch directory,
/// so that it works the same whether a task runs on the caller, on a thread or in a worker process.
/// Tasks count calls by appending lines, signal by creating files, and block by polling for a
/// release file (or for their directory to go away: the end of the test releases everything).
/// </summary>
internal static class Scratch
{
    /// <summary>How long a task waits for a file before giving up, and a test for an event before failing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The file a test creates (in its Dispose at the latest) to let every blocked task go.</summary>
    public const string Release = "release";

    /// <summary>Creates (or touches) <paramref name="name"/> in <paramref name="directory"/>.</summary>
    public static void Signal(string directory, string name) => File.WriteAllText(Path.Combine(directory, name), string.Empty);

    /// <summary>Appends a line to <paramref name="name"/> and returns how many lines it now has (callers are never concurrent).</summary>
    public static int Append(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        File.AppendAllText(path, Environment.ProcessId + Environment.NewLine);
        return File.ReadAllLines(path).Length;
    }

    /// <summary>How many lines <paramref name="name"/> has; 0 if it does not exist.</summary>
    public static int Lines(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? File.ReadAllLines(path).Length : 0;
    }

    /// <summary>How many files match <paramref name="pattern"/>.</summary>
    public static int Count(string directory, string pattern) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, pattern).Count() : 0;

    /// <summary>Whether the test has released its tasks (the release file exists or the directory is gone).</summary>
    public static bool IsReleased(string directory) => File.Exists(Path.Combine(directory, Release)) || !Directory.Exists(directory);

    /// <summary>Blocks the calling thread, ignoring any token, until the test releases its tasks; false after <see cref="Patience"/>.</summary>
    public static bool BlockUntilReleased(string directory) => PollUntil(() => IsReleased(directory));

    /// <summary>Waits asynchronously, ignoring any token, until the test releases its tasks.</summary>
    public static async Task WaitUntilReleasedAsync(string directory)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!IsReleased(directory) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>Blocks the calling thread until <paramref name="condition"/> holds; false after <see cref="Patience"/>.</summary>
    public static bool PollUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            Thread.Sleep(2);
        }

        return true;
    }

    /// <summary>
    /// Completes when <paramref name="name"/> exists in <paramref name="directory"/>, watched for (not
    /// polled); throws a <see cref="TimeoutException"/> naming the file after <paramref name="patience"/>.
    /// </summary>
    public static async Task WaitForFileAsync(string directory, string name, TimeSpan patience)
    {
        var path = Path.Combine(directory, name);
        var appeared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(directory, name);
        watcher.Created += (_, _) => appeared.TrySetResult();
        watcher.Changed += (_, _) => appeared.TrySetResult();
        watcher.Renamed += (_, _) => appeared.TrySetResult();
        watcher.Error += (_, e) => appeared.TrySetException(e.GetException());
        watcher.EnableRaisingEvents = true;

        // Checked after the watcher is on, so that a file created in between is not missed.
        if (File.Exists(path))
        {
            return;
        }

        try
        {
            await appeared.Task.WaitAsync(patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name} did not appear in {directory} within {patience.TotalSeconds:F0} s: the task that should create it never ran that far.");
        }
    }

    /// <summary>Completes when at least <paramref name="count"/> files match; a <see cref="TimeoutException"/> naming them after <paramref name="patience"/>.</summary>
    public static async Task WaitForCountAsync(string directory, string pattern, int count, TimeSpan patience)
    {
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(directory, pattern);
        void Check()
        {
            if (Count(directory, pattern) >= count)
            {
                enough.TrySetResult();
            }
        }

        watcher.Created += (_, _) => Check();
        watcher.EnableRaisingEvents = true;
        Check();
        try
        {
            await enough.Task.WaitAsync(patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Count(directory, pattern)} of {count} files {pattern} appeared in {directory} within {patience.TotalSeconds:F0} s.");
        }
    }

    /// <summary>Lets every blocked task of the directory go, and removes it (best effort: a late task may still write there).</summary>
    public static void ReleaseAndDelete(string directory)
    {
        try
        {
            Signal(directory, Release);
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
