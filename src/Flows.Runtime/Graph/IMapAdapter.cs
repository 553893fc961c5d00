using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// The typed half of a mapped node (<c>Flow.Map(task, items)</c>, <c>Flow.TryMap(task, items)</c>): turns
/// the input collection into indexable elements and collects the element results into the typed
/// array the flow sees.
/// </summary>
/// <remarks>Called by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IMapAdapter
{
    /// <summary>Materializes the collection once, so that every element can be read by index.</summary>
    object Materialize(object? collection, string flowName, string nodeName, out int count);

    /// <summary>The element at <paramref name="index"/> of what <see cref="Materialize"/> returned.</summary>
    object? GetElement(object materialized, int index);

    /// <summary>A new, typed result array of <paramref name="count"/> elements.</summary>
    object CreateResults(int count);

    /// <summary>Stores one element's result.</summary>
    void SetResult(object results, int index, object? value);

    /// <summary>
    /// Whether the results keep the elements that did not succeed (<c>Flow.TryMap</c>'s outcomes), so
    /// that their failures do not fail the node; see <see cref="SetFailure"/>.
    /// </summary>
    bool KeepsFailures { get; }

    /// <summary>Stores how one element failed, when <see cref="KeepsFailures"/>; does nothing otherwise.</summary>
    void SetFailure(object results, int index, TaskState state, Exception error);
}

/// <summary>The map adapter for elements of <typeparamref name="TIn"/> mapped to <typeparamref name="TOut"/>.</summary>
/// <remarks>Called by generated code; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MapAdapter<TIn, TOut> : IMapAdapter
{
    /// <summary>The one instance; the adapter holds no state.</summary>
    public static readonly MapAdapter<TIn, TOut> Instance = new();

    /// <inheritdoc />
    public bool KeepsFailures => false;

    /// <inheritdoc />
    public object Materialize(object? collection, string flowName, string nodeName, out int count) =>
        ToArray(collection, flowName, nodeName, out count);

    /// <inheritdoc />
    public object? GetElement(object materialized, int index) => ((TIn[])materialized)[index];

    /// <inheritdoc />
    public object CreateResults(int count) => count == 0 ? Array.Empty<TOut>() : new TOut[count];

    /// <inheritdoc />
    public void SetResult(object results, int index, object? value) => ((TOut[])results)[index] = (TOut)value!;

    /// <inheritdoc />
    public void SetFailure(object results, int index, TaskState state, Exception error)
    {
        // A failed element fails the node: its results are never read.
    }

    /// <summary>The collection as an array, read once.</summary>
    internal static TIn[] ToArray(object? collection, string flowName, string nodeName, out int count)
    {
        var array = collection switch
        {
            TIn[] a => a,
            IEnumerable<TIn> e => e.ToArray(),
            null => throw new FlowDefinitionException(
                $"Flow '{flowName}': the collection mapped by '{nodeName}' is null. Pass an empty collection to map nothing."),
            _ => throw new FlowDefinitionException(
                $"Flow '{flowName}': the collection mapped by '{nodeName}' is a {collection.GetType()}, not a sequence of {typeof(TIn)}."),
        };
        count = array.Length;
        return array;
    }
}
