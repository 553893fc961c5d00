using Flows.Graph;

namespace Flows.Cluster.Client;

/// <summary>
/// A task result kept on the worker that made it: what the flow's value slot holds instead of the
/// value. The scheduler passes it along like any value; the cluster turns it into a reference on the
/// wire, so the bytes move worker to worker, and only when a task elsewhere needs them.
/// </summary>
internal sealed class RemoteResult
{
    private TaskCompletionSource? _recomputing;

    public RemoteResult(long id, TaskDescriptor producer, int readers, bool keepUntilRunEnd)
    {
        Id = id;
        Producer = producer;
        Readers = readers;
        KeepUntilRunEnd = keepUntilRunEnd;
    }

    public long Id { get; }

    /// <summary>The task that made it: its codec writes and reads the bytes.</summary>
    public TaskDescriptor Producer { get; }

    /// <summary>The worker holding it; null until made.</summary>
    public volatile WorkerLink? Owner;

    /// <summary>Estimated size in bytes, from the worker.</summary>
    public long Size;

    /// <summary>Task nodes that still have to read it; at zero it is freed.</summary>
    public int Readers;

    /// <summary>Read by a map or subflow (or recomputed): freed when the run ends.</summary>
    public bool KeepUntilRunEnd;

    /// <summary>Freed on its worker; a late reader (a recomputation) must make it again.</summary>
    public volatile bool Released;

    /// <summary>The request that made it: enough to make it again when its worker dies.</summary>
    public ClusterRequest? Lineage;

    /// <summary>Whether a reader must wait for it to be made again first.</summary>
    public bool IsLost => Released || Owner is not { IsDead: false };

    /// <summary>Starts recomputing it, or joins the recomputation under way; true for the caller that must start it.</summary>
    public Task BeginRecompute(out bool start)
    {
        lock (this)
        {
            if (_recomputing is { } existing)
            {
                start = false;
                return existing.Task;
            }

            _recomputing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            start = true;
            return _recomputing.Task;
        }
    }

    /// <summary>Ends a recomputation (with its error, if it failed).</summary>
    public void EndRecompute(Exception? error)
    {
        TaskCompletionSource? done;
        lock (this)
        {
            done = _recomputing;
            _recomputing = null;
        }

        if (error is null)
        {
            done?.TrySetResult();
        }
        else
        {
            done?.TrySetException(error);
        }
    }
}
