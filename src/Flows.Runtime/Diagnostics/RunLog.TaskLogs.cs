using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>What the run reports about the records its tasks write in workers.</summary>
internal static partial class RunLog
{
    public static void MalformedTaskLog(ILogger? logger, string flow, string task, int attempt, string source, string problem)
    {
        if (logger is not null)
        {
            LogMalformedTaskLog(logger, flow, task, attempt, source, problem);
        }
    }

    public static void LateTaskLog(ILogger? logger, string source, long request)
    {
        if (logger?.IsEnabled(LogLevel.Debug) == true)
        {
            LogLateTaskLog(logger, source, request);
        }
    }

    [LoggerMessage(50, LogLevel.Error, "Flow {Flow}: task {Task} attempt {Attempt}: {Source} sent log records that cannot be read ({Problem}); they are dropped, the task goes on. A worker of another Flows build, or a damaged connection")]
    private static partial void LogMalformedTaskLog(ILogger logger, string flow, string task, int attempt, string source, string problem);

    [LoggerMessage(51, LogLevel.Debug, "{Source} sent a log record of request {Request}, which has already been answered (code the task left running after it returned); the record is dropped")]
    private static partial void LogLateTaskLog(ILogger logger, string source, long request);
}
