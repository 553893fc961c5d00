
namespace Flows.Processes;

/// <summary>The threads that move frames: bursts that hold sends until they end, one sender at a time per worker, and one reader thread per worker.</summary>
internal sealed partial class ProcessPool
{
    /// <summary>Workers with frames composed during this thread's burst, sent when it ends.</summary>
    [ThreadStatic]
    private static List<WorkerProcess>? t_deferred;

    [ThreadStatic]
    private static int t_burstDepth;

    /// <summary>Set on the threads that read workers' answers: they must never block on a send.</summary>
    [ThreadStatic]
    private static bool t_isReader;

    /// <summary>
    /// A reader thread sends inline only while the worker holds less than this unread: far below a
    /// local socket's buffer, so the send cannot block. Past it, a pool thread sends, because a
    /// reader blocked on a full socket while its worker is blocked sending a large result to that
    /// very reader would deadlock both.
    /// </summary>
    private const int InlineSendLimit = 128 * 1024;

    public override void BeginBurst() => t_burstDepth++;

    public override void EndBurst()
    {
        if (--t_burstDepth == 0 && t_deferred is { Count: > 0 } deferred)
        {
            t_deferred = null;
            Flush(deferred);
        }
    }

    private void Flush(List<WorkerProcess>? workers)
    {
        if (workers is null)
        {
            return;
        }

        if (t_burstDepth > 0)
        {
            var deferred = t_deferred ??= new List<WorkerProcess>();
            foreach (var worker in workers)
            {
                if (!deferred.Contains(worker))
                {
                    deferred.Add(worker);
                }
            }

            return;
        }

        foreach (var worker in workers)
        {
            if (t_isReader && worker.UnansweredBytes + worker.Outbox.Length > InlineSendLimit)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Pool.SendOutbox(s.Worker), (Pool: this, Worker: worker), preferLocal: false);
            }
            else
            {
                SendOutbox(worker);
            }
        }
    }

    /// <summary>Sends what is composed for the worker, until nothing more is (one sender at a time).</summary>
    private void SendOutbox(WorkerProcess worker)
    {
        while (true)
        {
            FrameBuffer? frames;
            lock (_gate)
            {
                frames = worker.IsDead ? null : worker.TakeOutboxForSending();
            }

            if (frames is null)
            {
                return;
            }

            try
            {
                worker.Connection.Send(frames.WrittenSpan);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // The reader thread sees the death and handles it.
            }

            bool more;
            lock (_gate)
            {
                more = worker.FinishSending();
            }

            if (!more)
            {
                return;
            }
        }
    }

    private void Receive(WorkerProcess worker)
    {
        t_isReader = true;
        try
        {
            while (worker.Connection.TryReceive(out var frame))
            {
                // Answers that arrived together are handled as one burst: what they make ready is
                // sent in one write per worker after the last of them.
                BeginBurst();
                try
                {
                    while (true)
                    {
                        if (frame.Kind is FrameKind.Result or FrameKind.SharedResult or FrameKind.Failure)
                        {
                            Answer(worker, frame);
                        }
                        else if (frame.Kind == FrameKind.Log)
                        {
                            RelayLog(worker, frame);
                        }

                        FrameConnection.Release(frame);

                        if (!worker.Connection.HasBufferedFrame || !worker.Connection.TryReceive(out frame))
                        {
                            break;
                        }
                    }
                }
                finally
                {
                    EndBurst();
                }
            }
        }
        catch (Exception ex) when (ex is WorkerProtocolException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            worker.Kill();
        }

        OnDeath(worker);
    }
}
