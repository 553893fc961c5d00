using System.Collections;

namespace Flows.Logging;

/// <summary>
/// The scope every record of a task's logger is written in: the flow, the task run's name
/// (<c>Parse[3]</c>, <c>Sub/Parse[3]</c>), the attempt (1 for the first) and the run's id. Providers that
/// read scopes as name–value pairs (JSON console, OpenTelemetry, Serilog) see <c>Flow</c>, <c>Task</c>,
/// <c>Attempt</c> and <c>RunId</c>; the others print <see cref="ToString"/>.
/// </summary>
internal sealed class TaskLogScope(string flow, string task, int attempt, string runId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private string? _text;

    public string Flow => flow;

    public string Task => task;

    public int Attempt => attempt;

    public string RunId => runId;

    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Flow", flow),
        1 => new("Task", task),
        2 => new("Attempt", attempt),
        3 => new("RunId", runId),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "A task's log scope has 4 values: Flow, Task, Attempt and RunId."),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary><c>Flow Report, task Parse[3], attempt 2, run 5f0c…</c>.</summary>
    public override string ToString() =>
        _text ??= string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Flow {flow}, task {task}, attempt {attempt}, run {runId}");
}
