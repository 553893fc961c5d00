namespace Flows.Processes;

/// <summary>One task attempt on its way to, or in, a worker process.</summary>
internal sealed class ProcessRequest
{
    private static long s_nextId;

    public ProcessRequest(TaskAttempt attempt)
    {
        Attempt = attempt;
        Id = Interlocked.Increment(ref s_nextId);
    }

    public long Id { get; }

    public TaskAttempt Attempt { get; }

    /// <summary>The run the attempt belongs to, which keeps its results left in shared memory; null: decode every result.</summary>
    public ProcessRunDispatcher? Run { get; init; }

    /// <summary>Whether the attempt's clock has started (it was sent to a worker once).</summary>
    public bool Started { get; set; }

    /// <summary>Tasks with a timeout run alone on a worker, so their clock measures only them.</summary>
    public bool Exclusive => Attempt.Task.TimeoutMs > 0;

    /// <summary>The attempt's token (run cancellation and timeout), once started.</summary>
    public CancellationToken Token { get; set; }

    public CancellationTokenRegistration CancelRegistration { get; set; }

    /// <summary>The task's estimated run time when it was sent, counted in its worker's queue until answered.</summary>
    public double EstimateMicroseconds { get; set; }

    /// <summary>The size of the request's frame, counted while the worker has not answered it.</summary>
    public int FrameBytes { get; set; }
}
