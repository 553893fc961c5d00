using System.Collections.Concurrent;

namespace Flows.Cluster.Worker;

/// <summary>
/// A worker's threads: a fixed number of dedicated threads that take work in arrival order. Task
/// code never runs on Orleans' own scheduler, so a long task does not hold up the silo's messaging.
/// </summary>
internal sealed class TaskRunner : IDisposable
{
    private readonly BlockingCollection<RequestWork> _queue = new(new ConcurrentQueue<RequestWork>());
    private readonly int _target;
    private int _live;
    private int _started;

    public TaskRunner(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _target = threads;
        _live = threads;
        for (var i = 0; i < threads; i++)
        {
            StartThread();
        }
    }

    /// <summary>How many tasks run at once.</summary>
    public int Threads => _target;

    public void Enqueue(RequestWork work) => _queue.Add(work);

    /// <summary>
    /// A thread is stuck in a cancelled task's code (it ignores its token): a new thread takes its
    /// place, and the stuck one retires when (if ever) the code returns.
    /// </summary>
    public void ReplaceStuckThread()
    {
        Interlocked.Increment(ref _live);
        StartThread();
    }

    private void StartThread()
    {
        var number = Interlocked.Increment(ref _started);
        new Thread(Serve) { IsBackground = true, Name = $"Flows task {number}" }.Start();
    }

    private bool ShouldRetire()
    {
        while (true)
        {
            var live = Volatile.Read(ref _live);
            if (live <= _target)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _live, live - 1, live) == live)
            {
                return true;
            }
        }
    }

    private void Serve()
    {
        try
        {
            foreach (var work in _queue.GetConsumingEnumerable())
            {
                work.Execute();
                if (ShouldRetire())
                {
                    return;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The silo is stopping.
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}
