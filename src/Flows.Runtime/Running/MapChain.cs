namespace Flows;

/// <summary>
/// Maps run depth-first (<c>Flow.Map(C, Flow.Map(B, Flow.Map(A, xs)))</c>): the stages, and the window
/// that bounds how many elements are between the head's start and their end at once.
/// </summary>
/// <remarks>
/// Element i is in flight from the submission of the head's element i until the last stage's element i
/// ends, or until a stage's element i ends without a value to hand on. While in flight it holds at most
/// one intermediate result (the one the next stage is reading). The head's next element is submitted
/// only while fewer than <see cref="Window"/> elements are in flight.
/// </remarks>
internal sealed class MapChain
{
    public MapChain(NodeRun[] stages, int count, int window)
    {
        Stages = stages;
        Count = count;
        Window = window;
    }

    /// <summary>The chained Map nodes, head first.</summary>
    public NodeRun[] Stages { get; }

    /// <summary>How many elements each stage has.</summary>
    public int Count { get; }

    /// <summary>How many elements may be in flight at once.</summary>
    public int Window { get; }

    /// <summary>Elements in flight now.</summary>
    public int InFlight;

    /// <summary>The head's next element to submit.</summary>
    public int NextHead;

    /// <summary>
    /// The first stage that takes no new elements, because an element of the stage before it failed (and
    /// that stage fails as a whole, so the stages after it are skipped, as in a breadth-first run).
    /// </summary>
    public int StopsAt = int.MaxValue;

    /// <summary>The highest number of elements in flight at once (for tests and reports).</summary>
    public int PeakInFlight;

    /// <summary>Notes that no stage from <paramref name="stage"/> on takes new elements.</summary>
    public void StopFrom(int stage)
    {
        while (true)
        {
            var old = Volatile.Read(ref StopsAt);
            if (stage >= old || Interlocked.CompareExchange(ref StopsAt, stage, old) == old)
            {
                return;
            }
        }
    }

    /// <summary>Takes a place in the window; false when it is full.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var inFlight = Volatile.Read(ref InFlight);
            if (inFlight >= Window)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref InFlight, inFlight + 1, inFlight) == inFlight)
            {
                var peak = Volatile.Read(ref PeakInFlight);
                while (inFlight + 1 > peak && Interlocked.CompareExchange(ref PeakInFlight, inFlight + 1, peak) != peak)
                {
                    peak = Volatile.Read(ref PeakInFlight);
                }

                return true;
            }
        }
    }
}
