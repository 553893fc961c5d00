using System.Collections.Concurrent;
using Flows.Cluster.Memory;
using Flows.Cluster.Protocol;
using Microsoft.Extensions.Logging;

namespace Flows.Cluster.Client;

/// <summary>
/// Workers that manage their memory (docs/memory.md): their news reaches the runs in progress, and a
/// worker that restarts for its memory has the task that grew it Crashed with the cause.
/// </summary>
internal sealed partial class ClusterSession
{
    /// <summary>The runs in progress on this session, which hear the workers' memory news.</summary>
    public ConcurrentDictionary<ClusterRunDispatcher, bool> Runs { get; } = new();

    /// <summary>A poll answer brought a worker's memory news (only when it changed).</summary>
    private void NoteMemory(WorkerLink link, WorkerMemoryNews? news)
    {
        if (news is null || (link.Memory is { } known && known.Version >= news.Version))
        {
            return;
        }

        var before = link.Memory;
        link.Memory = news;
        foreach (var run in Runs.Keys)
        {
            run.NoteMemory(link.Key, news, before);
        }
    }

    /// <summary>
    /// The worker restarts because its memory passed its terminate fraction while the request ran: the
    /// attempt is Crashed with the cause (a recomputation fails its readers with it), and the worker is
    /// lost now (it exits in a moment): what it held is recomputed, what it had queued goes elsewhere.
    /// </summary>
    private void MemoryExceeded(WorkerLink link, ClusterRequest request, TaskOutcome outcome)
    {
        var task = request.Attempt?.TaskName ?? request.Name;
        var limit = MemorySize.Format(outcome.MemoryLimit);
        var what = outcome.ErrorType is not null
            ? $"could not allocate within its {limit} memory limit ({MemorySize.Format(outcome.MemoryReached)} resident)"
            : $"passed {outcome.MemoryFraction * 100:0} % of its {limit} memory limit ({MemorySize.Format(outcome.MemoryReached)})";
        var cause = $"cluster worker {link.Key} {what} while running {task}; it was restarted and what it held is recomputed; " +
            "give the workers more memory (LocalClusterOptions.WorkerMemoryLimit / --memory-limit) or make the task use less";
        _logger.LogWarning("Flows cluster: {Cause}", cause);
        foreach (var run in Runs.Keys)
        {
            run.NoteRestart(link.Key, outcome.MemoryLimit, outcome.MemoryReached, request.Attempt?.TaskName, cause);
        }

        // Lost first: a retry of the attempt must not go to the worker that is about to exit.
        LoseWorker(link.Key, $"it restarts for its memory ({what})");
        if (request.Attempt is { } attempt)
        {
            attempt.Crash(new TaskCrashedException(attempt.FlowName, attempt.TaskName, cause));
        }
        else
        {
            // A recomputation's name is "flow: task".
            var split = request.Name.IndexOf(": ", StringComparison.Ordinal);
            request.Output?.EndRecompute(split > 0
                ? new TaskCrashedException(request.Name[..split], request.Name[(split + 2)..], cause)
                : new TaskCrashedException(string.Empty, request.Name, cause));
        }

    }

    /// <summary>
    /// The cause to crash the request sent as <paramref name="wireId"/> with when its worker's death says (in the line it
    /// wrote on stderr as it exited, which a local cluster reads) that this task grew it past its memory
    /// limit; null otherwise. The worker's outcome usually says it first; this covers an outcome that did
    /// not arrive before the process's exit did.
    /// </summary>
    private static string? MemoryCause(string cause, long wireId)
    {
        var start = cause.IndexOf(Worker.TaskHost.MemoryExceededLine, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var line = cause[(start + Worker.TaskHost.MemoryExceededLine.Length)..];
        var end = line.IndexOfAny(['\r', '\n']);
        line = end < 0 ? line : line[..end];
        if (!line.Contains($"(request {wireId})", StringComparison.Ordinal))
        {
            return null;
        }

        return $"{line.TrimEnd('.')}; what it held is recomputed; give the workers more memory (LocalClusterOptions.WorkerMemoryLimit / --memory-limit) or make the task use less";
    }
}
