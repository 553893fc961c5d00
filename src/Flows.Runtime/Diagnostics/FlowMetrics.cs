using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flows;

/// <summary>
/// The OpenTelemetry-compatible <see cref="System.Diagnostics.Metrics.Meter"/> of Flows, named
/// <c>Flows</c> (<c>AddMeter("Flows")</c>). Tags are few and bounded: the flow, the task's node
/// (never a map element's index), the state, the executor.
/// <list type="table">
/// <item><term><c>flows.task.runs</c></term><description>task runs that ended, by <c>flows.state</c> (Succeeded, Failed, Cached, Skipped, ...)</description></item>
/// <item><term><c>flows.task.duration</c></term><description>seconds from a task run's first attempt's start to its end (runs that started)</description></item>
/// <item><term><c>flows.task.attempts</c></term><description>attempts started, retries included</description></item>
/// <item><term><c>flows.task.active</c></term><description>attempts running now</description></item>
/// <item><term><c>flows.worker.crashes</c></term><description>attempts whose worker process died under them</description></item>
/// <item><term><c>flows.flow.runs</c></term><description>flow runs that ended, by <c>flows.state</c></description></item>
/// <item><term><c>flows.flow.duration</c></term><description>seconds a flow run took</description></item>
/// <item><term><c>flows.bytes_moved</c></term><description>bytes of inputs and results that crossed a process boundary</description></item>
/// </list>
/// </summary>
public static class FlowMetrics
{
    /// <summary>The meter's name, to subscribe with.</summary>
    public const string MeterName = "Flows";

    /// <summary>The meter itself.</summary>
    public static readonly Meter Meter = new(MeterName, typeof(FlowMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> s_taskRuns = Meter.CreateCounter<long>("flows.task.runs", "{run}", "Task runs that ended, by state.");
    private static readonly Histogram<double> s_taskDuration = Meter.CreateHistogram<double>("flows.task.duration", "s", "From a task run's first attempt's start to the end of its last one.");
    private static readonly Counter<long> s_attempts = Meter.CreateCounter<long>("flows.task.attempts", "{attempt}", "Task attempts started, retries included.");
    private static readonly UpDownCounter<long> s_active = Meter.CreateUpDownCounter<long>("flows.task.active", "{attempt}", "Task attempts running now.");
    private static readonly Counter<long> s_crashes = Meter.CreateCounter<long>("flows.worker.crashes", "{crash}", "Task attempts whose worker process died under them.");
    private static readonly Counter<long> s_flowRuns = Meter.CreateCounter<long>("flows.flow.runs", "{run}", "Flow runs that ended, by state.");
    private static readonly Histogram<double> s_flowDuration = Meter.CreateHistogram<double>("flows.flow.duration", "s", "How long a flow run took.");
    private static readonly Counter<long> s_bytesMoved = Meter.CreateCounter<long>("flows.bytes_moved", "By", "Bytes of task inputs and results that crossed a process boundary.");

    /// <summary>An attempt was handed to its executor.</summary>
    internal static void AttemptStarted(string flow, string task, string executor)
    {
        if (s_attempts.Enabled)
        {
            s_attempts.Add(1, new TagList { { "flows.flow", flow }, { "flows.task", task }, { "flows.executor", executor } });
        }

        if (s_active.Enabled)
        {
            s_active.Add(1, new TagList { { "flows.flow", flow }, { "flows.executor", executor } });
        }
    }

    /// <summary>An attempt that <see cref="AttemptStarted"/> counted has settled.</summary>
    internal static void AttemptSettled(string flow, string task, string executor, TaskState outcome)
    {
        if (s_active.Enabled)
        {
            s_active.Add(-1, new TagList { { "flows.flow", flow }, { "flows.executor", executor } });
        }

        if (outcome == TaskState.Crashed && s_crashes.Enabled)
        {
            s_crashes.Add(1, new TagList { { "flows.flow", flow }, { "flows.task", task }, { "flows.executor", executor } });
        }
    }

    /// <summary>
    /// Whether any instrument has a listener: read once per run (<c>FlowRunState.Observed</c>), so that a run
    /// nobody measures pays one field test per task, not one per instrument.
    /// </summary>
    internal static bool AnyEnabled =>
        s_taskRuns.Enabled || s_taskDuration.Enabled || s_attempts.Enabled || s_active.Enabled
        || s_crashes.Enabled || s_flowRuns.Enabled || s_flowDuration.Enabled || s_bytesMoved.Enabled;

    /// <summary>Whether attempts are measured: lets the caller skip naming the task.</summary>
    internal static bool MeasuresAttempts => s_attempts.Enabled || s_active.Enabled || s_crashes.Enabled;

    /// <summary>Whether a task run's end is measured: lets the caller skip computing its fields.</summary>
    internal static bool MeasuresTaskRuns => s_taskRuns.Enabled || s_taskDuration.Enabled;

    /// <summary>A task run ended.</summary>
    internal static void TaskRunEnded(string flow, string task, string executor, TaskState state, bool started, TimeSpan duration)
    {
        var tags = new TagList { { "flows.flow", flow }, { "flows.task", task }, { "flows.executor", executor }, { "flows.state", StateName(state) } };
        s_taskRuns.Add(1, tags);
        if (started)
        {
            s_taskDuration.Record(duration.TotalSeconds, tags);
        }
    }

    /// <summary>A flow run ended.</summary>
    internal static void FlowRunEnded(string flow, string executor, FlowState state, TimeSpan duration, long bytesMoved)
    {
        if (!s_flowRuns.Enabled && !s_flowDuration.Enabled && !s_bytesMoved.Enabled)
        {
            return;
        }

        var tags = new TagList { { "flows.flow", flow }, { "flows.executor", executor }, { "flows.state", state.ToString() } };
        s_flowRuns.Add(1, tags);
        s_flowDuration.Record(duration.TotalSeconds, tags);
        if (bytesMoved > 0)
        {
            s_bytesMoved.Add(bytesMoved, new TagList { { "flows.flow", flow }, { "flows.executor", executor } });
        }
    }

    /// <summary>State names without a per-call allocation.</summary>
    private static string StateName(TaskState state) => state switch
    {
        TaskState.Succeeded => "Succeeded",
        TaskState.Failed => "Failed",
        TaskState.Skipped => "Skipped",
        TaskState.Cancelled => "Cancelled",
        TaskState.TimedOut => "TimedOut",
        TaskState.Crashed => "Crashed",
        TaskState.Cached => "Cached",
        _ => state.ToString(),
    };
}
