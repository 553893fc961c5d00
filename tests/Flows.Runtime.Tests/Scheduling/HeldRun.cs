using Flows.Graph;
using Xunit.Sdk;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>A run started on a <see cref="HeldExecutor"/>: its scheduler state, readable mid-run.</summary>
internal sealed class HeldRun
{
    private readonly HeldDispatcher _dispatcher;

    internal HeldRun(FlowRunState state, HeldDispatcher dispatcher)
    {
        State = state;
        _dispatcher = dispatcher;
    }

    /// <summary>The scheduler of the run.</summary>
    internal FlowRunState State { get; }

    public FlowGraph Graph => State.Graph;

    /// <summary>Whether the run has completed (every sink finished).</summary>
    public bool IsComplete => State.Completion.IsCompleted;

    /// <summary>Running until the run completes, then how it ended.</summary>
    public FlowState FlowState => State.State;

    /// <summary>The flow's result once it succeeded, else null.</summary>
    public object? Output => State.Output;

    /// <summary>
    /// The record of task run <paramref name="name"/> as it stands now (<c>Name[i]</c> for a map
    /// element). Mid-run, only once the layout of the run's records is final: see <see cref="EnsureLayoutIsFinal"/>.
    /// </summary>
    public TaskRun Record(string name)
    {
        EnsureLayoutIsFinal();
        var runs = State.TaskRuns;
        foreach (var run in runs)
        {
            if (run.Name == name)
            {
                return run;
            }
        }

        throw new XunitException($"The run has no task run '{name}'; it has [{string.Join(", ", runs.Select(r => r.Name))}].");
    }

    /// <summary>The state of task run <paramref name="name"/> now.</summary>
    public TaskState StateOf(string name) => Record(name).State;

    /// <summary>
    /// Awaits the end of the run (a <see cref="TimeoutException"/> naming what is still held after
    /// <paramref name="patience"/>) and returns what <c>FlowRunner.RunAsync</c> would have.
    /// </summary>
    public async Task<FlowRun> EndAsync(TimeSpan? patience = null)
    {
        var limit = patience ?? Scratch.Patience;
        try
        {
            await State.Completion.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Run '{State.FlowName}' did not end within {limit.TotalMilliseconds:F0} ms. " +
                $"Held attempts: [{string.Join(", ", _dispatcher.Queued.Select(a => a.ToString()))}].");
        }

        return Ended();
    }

    /// <summary>What <c>FlowRunner.RunAsync</c> returns, for a run that has ended (fails the test otherwise).</summary>
    public FlowRun Ended()
    {
        if (!IsComplete)
        {
            throw new XunitException($"Run '{State.FlowName}' has not ended.");
        }

        // As FlowRunner builds it.
        return new FlowRun(State.FlowName, State.State, State.TaskRuns, State.StartTime, State.Elapsed);
    }

    /// <summary>
    /// <see cref="FlowRunState.TaskRuns"/> lays the records out once, the first time it is read: a map
    /// node counts as one record until it has expanded, a subflow until its child run has started.
    /// Read before that, the list (which is also the finished run's <see cref="FlowRun.Tasks"/>) would
    /// keep that layout forever. So a mid-run read is allowed only when the layout can no longer
    /// change: no subflows, and every map node has expanded (some element of it was submitted).
    /// </summary>
    private void EnsureLayoutIsFinal()
    {
        if (IsComplete)
        {
            return;
        }

        var submitted = _dispatcher.Submitted;
        var nodes = Graph.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node.Kind == FlowNodeKind.Subflow)
            {
                throw new NotSupportedException(
                    $"HeldRun: the run's task runs cannot be read mid-run: subflow '{node.Name}' adds its records when its child run starts, and reading them earlier would freeze the layout.");
            }

            if (node.Kind == FlowNodeKind.Map
                && !submitted.Any(a => a.Element >= 0 && a.Attempt.NodeIndex == i && ReferenceEquals(a.Attempt.Graph, Graph) && ReferenceEquals(a.Attempt.Traffic, State.Traffic)))
            {
                throw new NotSupportedException(
                    $"HeldRun: the run's task runs cannot be read mid-run before map '{node.Name}' has expanded (no element of it was submitted yet): reading them earlier would freeze its layout as one record.");
            }
        }
    }
}
