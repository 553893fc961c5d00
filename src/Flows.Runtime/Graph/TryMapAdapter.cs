using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// The map adapter of <c>Flow.TryMap</c>: elements of <typeparamref name="TIn"/> mapped to
/// <typeparamref name="TOut"/>, collected as one <see cref="Outcome{T}"/> per element, so that an
/// element that fails is kept, with its state and exception, instead of failing the node.
/// </summary>
/// <remarks>Called by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TryMapAdapter<TIn, TOut> : IMapAdapter
{
    /// <summary>The one instance; the adapter holds no state.</summary>
    public static readonly TryMapAdapter<TIn, TOut> Instance = new();

    /// <inheritdoc />
    public bool KeepsFailures => true;

    /// <inheritdoc />
    public object Materialize(object? collection, string flowName, string nodeName, out int count) =>
        MapAdapter<TIn, TOut>.ToArray(collection, flowName, nodeName, out count);

    /// <inheritdoc />
    public object? GetElement(object materialized, int index) => ((TIn[])materialized)[index];

    /// <inheritdoc />
    public object CreateResults(int count) => count == 0 ? Array.Empty<Outcome<TOut>>() : new Outcome<TOut>[count];

    /// <inheritdoc />
    public void SetResult(object results, int index, object? value) =>
        ((Outcome<TOut>[])results)[index] = Outcome<TOut>.Success((TOut)value!);

    /// <inheritdoc />
    public void SetFailure(object results, int index, TaskState state, Exception error) =>
        ((Outcome<TOut>[])results)[index] = Outcome<TOut>.Failure(state, error);
}
