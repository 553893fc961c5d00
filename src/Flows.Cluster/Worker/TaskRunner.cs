using System.Collections.Concurrent;

namespace Flows.Cluster.Worker;

/// <summary>
/// A worker's threads: a fixed number of dedicated threads that take work in arrival order. Task
/// code never runs on Orleans' own scheduler, so a long task does not hold up the silo's messaging.
/// A thread stuck in the code of a task that was cancelled (or timed out) and ignores its token is
/// abandoned: a new thread takes its place for good, and the stuck one ends when (if ever) the code
/// returns. Past <see cref="MaxAbandoned"/> abandoned threads the worker cannot restore its capacity
/// that way, and <see cref="TooManyAbandoned"/> is raised (the worker recycles its process).
/// </summary>
internal sealed class TaskRunner : IDisposable
{
    private readonly BlockingCollection<RequestWork> _queue = new(new ConcurrentQueue<RequestWork>());
    private readonly int _target;
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private int _started;
    private int _abandoned;
    private int _executing;

    public TaskRunner(int threads, int abandonedPerThread = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(abandonedPerThread);
        _target = threads;
        MaxAbandoned = threads * abandonedPerThread;
        for (var i = 0; i < threads; i++)
        {
            StartThread();
        }
    }

    /// <summary>How many tasks run at once.</summary>
    public int Threads => _target;

    /// <summary>How many stuck threads the worker keeps beside its own before it gives up.</summary>
    public int MaxAbandoned { get; }

    /// <summary>Threads now stuck in the code of a cancelled task.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>Raised (once per thread over the bound) when more than <see cref="MaxAbandoned"/> threads are stuck.</summary>
    public event Action<int>? TooManyAbandoned;

    public void Enqueue(RequestWork work) => _queue.Add(work);

    /// <summary>Called on the task's thread before it starts (a worker with a memory limit makes room first).</summary>
    public Action? BeforeTask { get; set; }

    /// <summary>Whether new tasks wait (the worker's memory passed its pause fraction).</summary>
    public bool IsPaused => !_open.IsSet;

    /// <summary>
    /// Stops starting new tasks; those running go on. When no task has run for <see cref="IdlePauseLimit"/>,
    /// one still starts, so that a paused worker whose memory is held by something other than its tasks
    /// never stalls its runs for good (the terminate fraction guards the rest).
    /// </summary>
    public void Pause() => _open.Reset();

    public void Resume() => _open.Set();

    /// <summary>How long a paused worker with no task running waits for its memory monitor to make room before it starts one anyway.</summary>
    public static readonly TimeSpan IdlePauseLimit = TimeSpan.FromSeconds(3);

    /// <summary>Waits while paused; when no task runs, at most <see cref="IdlePauseLimit"/>.</summary>
    private void WaitWhilePaused()
    {
        var idle = System.Diagnostics.Stopwatch.StartNew();
        while (!_open.Wait(50))
        {
            if (Volatile.Read(ref _executing) != 0)
            {
                idle.Restart();
            }
            else if (idle.Elapsed >= IdlePauseLimit)
            {
                return;
            }
        }
    }

    /// <summary>
    /// <paramref name="work"/> was cancelled but its code still holds its thread: that thread is
    /// abandoned and a new one takes its place. False if the work no longer runs on a thread.
    /// </summary>
    public bool ReplaceStuckThread(RequestWork work)
    {
        if (work.Slot is not { } slot)
        {
            return false;
        }

        lock (slot)
        {
            if (slot.Current != work || slot.Abandoned)
            {
                return false;
            }

            slot.Abandoned = true;
        }

        var abandoned = Interlocked.Increment(ref _abandoned);
        StartThread();
        if (abandoned > MaxAbandoned)
        {
            TooManyAbandoned?.Invoke(abandoned);
        }

        return true;
    }

    private void StartThread()
    {
        var number = Interlocked.Increment(ref _started);
        new Thread(Serve) { IsBackground = true, Name = $"Flows task {number}" }.Start();
    }

    private void Serve()
    {
        var slot = new ThreadSlot();
        try
        {
            foreach (var work in _queue.GetConsumingEnumerable())
            {
                lock (slot)
                {
                    slot.Current = work;
                }

                work.Slot = slot;
                BeforeTask?.Invoke();
                WaitWhilePaused();
                Interlocked.Increment(ref _executing);
                try
                {
                    work.Execute();
                }
                finally
                {
                    Interlocked.Decrement(ref _executing);
                }

                lock (slot)
                {
                    slot.Current = null;
                    if (slot.Abandoned)
                    {
                        // Another thread took this one's place while the code ran: this one ends.
                        Interlocked.Decrement(ref _abandoned);
                        return;
                    }
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The silo is stopping.
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _open.Set();
    }
}
