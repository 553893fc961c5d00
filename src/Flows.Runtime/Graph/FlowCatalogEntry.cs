using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// One flow of an assembly's <see cref="FlowCatalog"/>: its name, signature and static graph, and a way to run it
/// with arguments of types known only at run time (a command line's, a request's).
/// </summary>
public sealed class FlowCatalogEntry
{
    private readonly Func<FlowExecutor, object?[], FlowRunOptions?, CancellationToken, Task<FlowRun>> _run;
    private readonly Func<FlowRun, object?> _result;

    private FlowCatalogEntry(
        string id,
        Type declaringType,
        string name,
        FlowGraph graph,
        IReadOnlyList<FlowParameter> parameters,
        Type? resultType,
        string? resultTypeName,
        Func<FlowExecutor, object?[], FlowRunOptions?, CancellationToken, Task<FlowRun>> run,
        Func<FlowRun, object?> result)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(declaringType);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(parameters);
        Id = id;
        DeclaringType = declaringType;
        Name = name;
        Graph = graph;
        Parameters = parameters.ToArray();
        Inputs = Parameters.Where(p => !p.IsBound).ToArray();
        if (Inputs.Count != graph.ParameterNames.Count)
        {
            throw new FlowDefinitionException(
                $"Flow '{id}' lists {Inputs.Count} input(s) in its catalog but its graph has {graph.ParameterNames.Count}; rebuild the assembly.");
        }

        ResultType = resultType;
        ResultTypeName = resultTypeName;
        _run = run;
        _result = result;
    }

    /// <summary>Describes a flow that returns <typeparamref name="TResult"/>.</summary>
    /// <param name="id">The flow method's stable identity, <c>Namespace.Type.Method</c>.</param>
    /// <param name="declaringType">The type that declares the flow method.</param>
    /// <param name="name">The flow method's name.</param>
    /// <param name="graph">The flow's static graph.</param>
    /// <param name="parameters">Every parameter of the flow method, in order, bound ones too.</param>
    /// <param name="resultTypeName">The result type as the signature writes it.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowCatalogEntry Returning<TResult>(string id, Type declaringType, string name, FlowGraph graph, FlowParameter[] parameters, string resultTypeName) =>
        new(
            id,
            declaringType,
            name,
            graph,
            parameters,
            typeof(TResult),
            resultTypeName,
            async (executor, arguments, options, cancellationToken) =>
                await FlowRunner.RunAsync<TResult>(graph, executor, arguments, options, cancellationToken).ConfigureAwait(false),
            run => run is FlowRun<TResult> typed
                ? typed.Result
                : throw new ArgumentException($"The run of flow '{run.FlowName}' is not a run of flow '{id}'.", nameof(run)));

    /// <summary>Describes a flow that returns nothing.</summary>
    /// <inheritdoc cref="Returning{TResult}" />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static FlowCatalogEntry ReturningNothing(string id, Type declaringType, string name, FlowGraph graph, FlowParameter[] parameters) =>
        new(
            id,
            declaringType,
            name,
            graph,
            parameters,
            null,
            null,
            (executor, arguments, options, cancellationToken) => FlowRunner.RunAsync(graph, executor, arguments, options, cancellationToken),
            run =>
            {
                run.EnsureSucceeded();
                return null;
            });

    /// <summary>The flow method's stable identity: <c>Namespace.Type.Method</c> (nested types joined by dots).</summary>
    public string Id { get; }

    /// <summary>The type that declares the flow method.</summary>
    public Type DeclaringType { get; }

    /// <summary>The flow method's name.</summary>
    public string Name { get; }

    /// <summary>The flow's name in runs and reports: <c>[Flow(Name = ...)]</c>, or <c>Type.Method</c>.</summary>
    public string DisplayName => Graph.Name;

    /// <summary>The flow's static graph.</summary>
    public FlowGraph Graph { get; }

    /// <summary>Every parameter of the flow method, in order, those the runtime binds (<see cref="FlowParameter.IsBound"/>) too.</summary>
    public IReadOnlyList<FlowParameter> Parameters { get; }

    /// <summary>The parameters a caller gives values for (not bound), in order: what <see cref="RunAsync"/> takes.</summary>
    public IReadOnlyList<FlowParameter> Inputs { get; }

    /// <summary>The flow's result type; null when it returns nothing.</summary>
    public Type? ResultType { get; }

    /// <summary>The result type as the flow's signature writes it; null when it returns nothing.</summary>
    public string? ResultTypeName { get; }

    /// <summary>
    /// Runs the flow as its generated <c>RunAsync</c> does, with one argument per <see cref="Inputs"/> entry, in
    /// order; the run's <see cref="CancellationToken"/> goes to the bound parameters. The returned run is a
    /// <see cref="FlowRun{T}"/> of <see cref="ResultType"/> for a flow with a result: <see cref="ResultOf"/> reads it.
    /// </summary>
    /// <exception cref="ArgumentException">The arguments are not one per input, or one is not of its input's type, or is null where the input refuses null; thrown before any task runs.</exception>
    public Task<FlowRun> RunAsync(FlowExecutor executor, IReadOnlyList<object?> arguments, FlowRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count != Inputs.Count)
        {
            throw new ArgumentException(
                $"Flow '{Id}' takes {Inputs.Count} argument(s) ({string.Join(", ", Inputs)}), not {arguments.Count}.", nameof(arguments));
        }

        for (var i = 0; i < Inputs.Count; i++)
        {
            var input = Inputs[i];
            var value = arguments[i];
            if (value is null ? !input.AllowsNull : !input.Type.IsInstanceOfType(value))
            {
                throw new ArgumentException(
                    $"Flow '{Id}', parameter '{input.Name}': {(value is null ? "null" : $"a {value.GetType().Name}")} was given where a {input.TypeName} is expected.",
                    nameof(arguments));
            }
        }

        return _run(executor, arguments.ToArray(), options, cancellationToken);
    }

    /// <summary>The result of <paramref name="run"/>, a run of this flow, boxed; null for a flow that returns nothing.</summary>
    /// <exception cref="FlowFailedException">The run did not succeed.</exception>
    /// <exception cref="ArgumentException"><paramref name="run"/> is not a run of this flow.</exception>
    public object? ResultOf(FlowRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return _result(run);
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
