namespace Flows.Console.Display;

/// <summary>
/// How many failure and retry messages a run may still print (<see cref="FlowProgressOptions.MaxFailureMessages"/>):
/// the rest are counted, so that a map of ten thousand failing elements does not flood the output.
/// </summary>
internal sealed class FailureMessages(int budget)
{
    private int _left = budget;

    /// <summary>Messages that were not printed.</summary>
    public long Suppressed { get; private set; }

    /// <summary>Whether the next message may be printed; false once past the budget (<paramref name="justRanOut"/> the first time).</summary>
    public bool Take(out bool justRanOut)
    {
        justRanOut = false;
        if (_left > 0)
        {
            _left--;
            return true;
        }

        justRanOut = Suppressed == 0;
        Suppressed++;
        return false;
    }
}
