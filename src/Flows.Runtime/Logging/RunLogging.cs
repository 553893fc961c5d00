using System.Collections.Concurrent;
using Flows.Graph;
using Microsoft.Extensions.Logging;

namespace Flows.Logging;

/// <summary>
/// What a run needs to give its tasks loggers: the run's <see cref="FlowRunOptions.LoggerFactory"/>, one
/// logger per category (asked of the factory once), the flow and run the scopes name, and whether console
/// output is captured. A run without a logger factory has none, and its tasks' loggers do nothing.
/// </summary>
internal sealed class RunLogging
{
    private readonly ILoggerFactory _factory;
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    private RunLogging(ILoggerFactory factory, bool captureConsole, string flowName, string runId)
    {
        _factory = factory;
        CaptureConsole = captureConsole;
        FlowName = flowName;
        RunId = runId;
        if (captureConsole)
        {
            Workers.TaskOutput.Install();
        }
    }

    /// <summary>The run's, or null when it has no logger factory.</summary>
    public static RunLogging? Create(FlowRunOptions? options, string flowName, string runId) =>
        options?.LoggerFactory is { } factory ? new RunLogging(factory, options.CaptureConsole, flowName, runId) : null;

    /// <summary><see cref="FlowRunOptions.CaptureConsole"/>.</summary>
    public bool CaptureConsole { get; }

    /// <summary>The flow run started with (a subflow's tasks name it too; their task names carry the subflow's path).</summary>
    public string FlowName { get; }

    public string RunId { get; }

    /// <summary>Whether an attempt of <paramref name="task"/> needs a logger: it takes one, or its console output is captured.</summary>
    public bool Applies(TaskDescriptor task) => task.TakesLogger || CaptureConsole;

    /// <summary>A new logger for <paramref name="attempt"/>: the factory's logger of its task's category, in the attempt's scope.</summary>
    public TaskLogger For(TaskAttempt attempt) =>
        new(LoggerFor(attempt.Task.RecordCategory), new TaskLogScope(FlowName, attempt.TaskName, attempt.Number, RunId));

    /// <summary>What a worker is told for <paramref name="task"/>'s attempt (<see cref="LogLevelMask"/>); 0 when it has nothing to send.</summary>
    public byte MaskFor(TaskDescriptor task)
    {
        if (!Applies(task))
        {
            return 0;
        }

        // Captured console output goes to the records even when their levels are off (then nowhere),
        // as in this process: never to the console, which capture promises to leave alone.
        var mask = LogLevelMask.EnabledLevels(LoggerFor(task.RecordCategory));
        return CaptureConsole ? (byte)(mask | LogLevelMask.CaptureConsole) : mask;
    }

    private ILogger LoggerFor(string category) =>
        _loggers.GetOrAdd(category, static (name, factory) => factory.CreateLogger(name), _factory);
}
