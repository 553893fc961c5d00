using System.Diagnostics;

namespace Flows;

/// <summary>
/// Event times: a <see cref="Stopwatch"/> timestamp is taken when an event is made (a few nanoseconds),
/// and turned into wall-clock time only when read, from one reading of both clocks per process.
/// </summary>
internal static class EventClock
{
    private static readonly DateTimeOffset s_wallAtStart = DateTimeOffset.UtcNow;
    private static readonly long s_ticksAtStart = Stopwatch.GetTimestamp();

    public static long Now => Stopwatch.GetTimestamp();

    public static DateTimeOffset ToTime(long timestamp) => s_wallAtStart + Stopwatch.GetElapsedTime(s_ticksAtStart, timestamp);
}
