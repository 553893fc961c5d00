using Microsoft.Extensions.Logging;

namespace Flows.Storage;

/// <summary>What a run's use of its store logs: every value it does not use, and why.</summary>
internal static partial class StoreLog
{
    public static void CheckpointNotUsed(ILogger? logger, string flow, string task, string runId, string reason)
    {
        if (logger is not null)
        {
            CheckpointNotUsedCore(logger, flow, task, runId, reason);
        }
    }

    public static void CachedNotUsed(ILogger? logger, string flow, string task, string reason)
    {
        if (logger is not null)
        {
            CachedNotUsedCore(logger, flow, task, reason);
        }
    }

    public static void CacheNotRead(ILogger? logger, string flow, string task, Exception error)
    {
        if (logger is not null)
        {
            CacheNotReadCore(logger, flow, task, error);
        }
    }

    public static void WriteFailed(ILogger? logger, string flow, string runId, Exception error)
    {
        if (logger is not null)
        {
            WriteFailedCore(logger, flow, runId, error);
        }
    }

    [LoggerMessage(40, LogLevel.Warning, "Flow {Flow}: the checkpoint of task {Task} in run {RunId} is not restored, the task runs again: {Reason}")]
    private static partial void CheckpointNotUsedCore(ILogger logger, string flow, string task, string runId, string reason);

    [LoggerMessage(41, LogLevel.Warning, "Flow {Flow}: the cached result of task {Task} is not used, the task runs: {Reason}")]
    private static partial void CachedNotUsedCore(ILogger logger, string flow, string task, string reason);

    [LoggerMessage(42, LogLevel.Warning, "Flow {Flow}: the cache of task {Task} cannot be read, the task runs")]
    private static partial void CacheNotReadCore(ILogger logger, string flow, string task, Exception error);

    [LoggerMessage(43, LogLevel.Error, "Flow {Flow}: run {RunId} cannot write its checkpoints; it goes on without them, and a resume would run again what they would have restored")]
    private static partial void WriteFailedCore(ILogger logger, string flow, string runId, Exception error);
}
