using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// Runs a <see cref="FlowGraph"/> on an executor. The generated <c>RunAsync</c> entry points call
/// this; code that builds graphs by hand (benchmarks, tools) may call it too.
/// </summary>
/// <remarks>Called by generated code; not for direct use: run a flow through its generated <c>RunAsync</c>.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class FlowRunner
{
    /// <summary>Runs a flow whose result is <typeparamref name="T"/>.</summary>
    /// <param name="graph">The flow's graph.</param>
    /// <param name="executor">Where its tasks run.</param>
    /// <param name="arguments">One value per graph parameter, in order.</param>
    /// <param name="options">Logging and other per-run settings; null for none.</param>
    /// <param name="cancellationToken">Cancels the run: running tasks are cancelled, pending ones are marked Cancelled.</param>
    public static async Task<FlowRun<T>> RunAsync<T>(
        FlowGraph graph,
        FlowExecutor executor,
        object?[] arguments,
        FlowRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (graph is null)
        {
            throw new ArgumentNullException(nameof(graph));
        }

        if (graph.OutputSlot < 0)
        {
            throw new FlowDefinitionException($"Flow '{graph.Name}' returns nothing; run it with the non-generic RunAsync.");
        }

        var state = FlowRunState.Start(graph, executor, arguments, options, cancellationToken);
        return await FinishAsync<T>(state).ConfigureAwait(false);
    }

    /// <summary>Runs a flow that returns nothing.</summary>
    /// <inheritdoc cref="RunAsync{T}" />
    public static async Task<FlowRun> RunAsync(
        FlowGraph graph,
        FlowExecutor executor,
        object?[] arguments,
        FlowRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var state = FlowRunState.Start(graph, executor, arguments, options, cancellationToken);
        return await FinishAsync(state).ConfigureAwait(false);
    }

    private static async Task<FlowRun<T>> FinishAsync<T>(FlowRunState state)
    {
        await state.Completion.ConfigureAwait(false);
        await state.EndStoredRunAsync().ConfigureAwait(false);
        var result = state.State == FlowState.Succeeded ? (T)state.Output! : default!;
        var run = new FlowRun<T>(state.FlowName, state.State, state.TaskRuns, state.StartTime, state.Elapsed, result) { BytesMoved = state.Dispatcher.BytesMoved + state.Traffic.Bytes, WorkerMemory = state.Dispatcher.WorkerMemory ?? new(), RunId = state.RunId, StoreError = state.Store?.WriteError, Graph = state.Graph };
        await state.FinishEventsAsync(run).ConfigureAwait(false);
        return run;
    }

    private static async Task<FlowRun> FinishAsync(FlowRunState state)
    {
        await state.Completion.ConfigureAwait(false);
        await state.EndStoredRunAsync().ConfigureAwait(false);
        var run = new FlowRun(state.FlowName, state.State, state.TaskRuns, state.StartTime, state.Elapsed) { BytesMoved = state.Dispatcher.BytesMoved + state.Traffic.Bytes, WorkerMemory = state.Dispatcher.WorkerMemory ?? new(), RunId = state.RunId, StoreError = state.Store?.WriteError, Graph = state.Graph };
        await state.FinishEventsAsync(run).ConfigureAwait(false);
        return run;
    }

    /// <summary>
    /// Resumes run <paramref name="runId"/> of this flow from <paramref name="options"/>' store: the
    /// run's arguments are read back, tasks whose checkpoints are there (and whose inputs were restored
    /// too) are restored instead of run, and the rest runs as the graph says.
    /// </summary>
    /// <param name="graph">The flow's graph: its hash must be the one the run started with.</param>
    /// <param name="executor">Where the tasks that run again run.</param>
    /// <param name="runId">The run to resume, as <see cref="FlowRun.RunId"/> gave it.</param>
    /// <param name="options">Must have a <see cref="FlowRunOptions.Store"/>; its <see cref="FlowRunOptions.RunId"/> is ignored.</param>
    /// <param name="cancellationToken">Cancels the resumed run.</param>
    /// <exception cref="FlowStoreException">The store has no such run, or the run is of another flow or graph, is running in another process, or cannot be read.</exception>
    public static async Task<FlowRun<T>> ResumeAsync<T>(
        FlowGraph graph,
        FlowExecutor executor,
        string runId,
        FlowRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.OutputSlot < 0)
        {
            throw new FlowDefinitionException($"Flow '{graph.Name}' returns nothing; resume it with the non-generic ResumeAsync.");
        }

        var state = await FlowRunState.ResumeAsync(graph, executor, runId, options, cancellationToken).ConfigureAwait(false);
        return await FinishAsync<T>(state).ConfigureAwait(false);
    }

    /// <summary>Resumes a run of a flow that returns nothing.</summary>
    /// <inheritdoc cref="ResumeAsync{T}" />
    public static async Task<FlowRun> ResumeAsync(
        FlowGraph graph,
        FlowExecutor executor,
        string runId,
        FlowRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var state = await FlowRunState.ResumeAsync(graph, executor, runId, options, cancellationToken).ConfigureAwait(false);
        return await FinishAsync(state).ConfigureAwait(false);
    }
}
