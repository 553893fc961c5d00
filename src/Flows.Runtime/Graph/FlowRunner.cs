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
        await state.Completion.ConfigureAwait(false);
        var result = state.State == FlowState.Succeeded ? (T)state.Output! : default!;
        return new FlowRun<T>(graph.Name, state.State, state.TaskRuns, state.StartTime, state.Elapsed, result) { BytesMoved = state.Dispatcher.BytesMoved + state.Traffic.Bytes };
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
        await state.Completion.ConfigureAwait(false);
        return new FlowRun(graph.Name, state.State, state.TaskRuns, state.StartTime, state.Elapsed) { BytesMoved = state.Dispatcher.BytesMoved + state.Traffic.Bytes };
    }
}
