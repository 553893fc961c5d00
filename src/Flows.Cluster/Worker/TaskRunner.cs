using System.Collections.Concurrent;

namespace Flows.Cluster.Worker;

/// <summary>
/// A worker's threads: a fixed number of dedicated threads that take work in arrival order. Task
/// code never runs on Orleans' own scheduler, so a long task does not hold up the silo's messaging.
/// </summary>
internal sealed class TaskRunner : IDisposable
{
    private readonly BlockingCollection<RequestWork> _queue = new(new ConcurrentQueue<RequestWork>());
    private readonly Thread[] _threads;

    public TaskRunner(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Serve) { IsBackground = true, Name = $"Flows task {i + 1}" };
            _threads[i].Start();
        }
    }

    public int Threads => _threads.Length;

    public void Enqueue(RequestWork work) => _queue.Add(work);

    private void Serve()
    {
        try
        {
            foreach (var work in _queue.GetConsumingEnumerable())
            {
                work.Execute();
            }
        }
        catch (ObjectDisposedException)
        {
            // The silo is stopping.
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}
