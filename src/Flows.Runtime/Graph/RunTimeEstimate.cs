using System.Runtime.InteropServices;

namespace Flows.Graph;

/// <summary>
/// A running average of how long one task's code ran in workers, in microseconds; NaN before the
/// first report. Updated without a lock (a double is written whole; a report lost to a race only
/// delays the average a little), and written only when a report moves it noticeably, so that a task
/// of steady duration does not make the cache line bounce between the threads that read it.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal sealed class RunTimeEstimate
{
    // In the middle of its own 128 bytes: no other object's hot field shares its cache line.
    [FieldOffset(64)]
    private double _microseconds = double.NaN;

    /// <summary>The estimate, or NaN when no run has been reported.</summary>
    public double Microseconds => Volatile.Read(ref _microseconds);

    public bool IsKnown => !double.IsNaN(Microseconds);

    /// <summary>Adds one measured run.</summary>
    public void Note(double microseconds)
    {
        if (microseconds < 0 || !double.IsFinite(microseconds))
        {
            return;
        }

        var typical = Volatile.Read(ref _microseconds);
        if (double.IsNaN(typical))
        {
            Volatile.Write(ref _microseconds, microseconds);
            return;
        }

        var next = (0.7 * typical) + (0.3 * microseconds);
        if (Math.Abs(next - typical) > (0.05 * typical) + 1)
        {
            Volatile.Write(ref _microseconds, next);
        }
    }
}
