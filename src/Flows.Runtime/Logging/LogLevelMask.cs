using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>
/// What the flow process tells a worker with each request whose task may log: one bit per level the
/// task's category has enabled (Trace to Critical), and whether console output is captured. A worker
/// sends only records of enabled levels, so a disabled record costs a bit test and crosses nothing.
/// Zero (the value for a task that takes no logger, in a run without capture) means "nothing to send".
/// </summary>
internal static class LogLevelMask
{
    /// <summary>The bit that asks the worker to capture the task's console output as records.</summary>
    public const byte CaptureConsole = 0x80;

    /// <summary>The bits of the levels <paramref name="logger"/> has enabled.</summary>
    public static byte EnabledLevels(ILogger logger)
    {
        byte mask = 0;
        for (var level = LogLevel.Trace; level <= LogLevel.Critical; level++)
        {
            if (logger.IsEnabled(level))
            {
                mask |= Bit(level);
            }
        }

        return mask;
    }

    /// <summary>Whether <paramref name="mask"/> enables <paramref name="level"/> (<see cref="LogLevel.None"/> never is).</summary>
    public static bool IsEnabled(byte mask, LogLevel level) => (mask & Bit(level)) != 0;

    private static byte Bit(LogLevel level) => level is >= LogLevel.Trace and <= LogLevel.Critical ? (byte)(1 << (int)level) : (byte)0;
}
