namespace Flows;

/// <summary>
/// What <c>Flow.Map</c> and <c>Flow.TryMap</c> do when a flow body is called directly: the elements
/// in order, one at a time, on the calling thread. A flow run never comes here: the generator
/// compiles the call into a map node.
/// </summary>
internal static class EagerMap
{
    public static TOut[] Map<TIn, TOut>(Delegate task, IEnumerable<TIn> items, Func<TIn, TOut> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(items);
        var results = new List<TOut>(CountOf(items));
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(call(item));
        }

        return results.ToArray();
    }

    public static async Task<TOut[]> MapAsync<TIn, TOut>(Delegate task, IEnumerable<TIn> items, Func<TIn, Task<TOut>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(items);
        var results = new List<TOut>(CountOf(items));
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await call(item).ConfigureAwait(false));
        }

        return results.ToArray();
    }

    public static Outcome<TOut>[] TryMap<TIn, TOut>(Delegate task, IEnumerable<TIn> items, Func<TIn, TOut> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(items);
        var results = new List<Outcome<TOut>>(CountOf(items));
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                results.Add(Outcome<TOut>.Success(call(item)));
            }
            catch (Exception ex) when (!IsCallersCancellation(ex, cancellationToken))
            {
                results.Add(Outcome<TOut>.Failure(TaskState.Failed, ex));
            }
        }

        return results.ToArray();
    }

    public static async Task<Outcome<TOut>[]> TryMapAsync<TIn, TOut>(Delegate task, IEnumerable<TIn> items, Func<TIn, Task<TOut>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(items);
        var results = new List<Outcome<TOut>>(CountOf(items));
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // A task that throws before returning its Task fails its element the same way.
                results.Add(Outcome<TOut>.Success(await call(item).ConfigureAwait(false)));
            }
            catch (Exception ex) when (!IsCallersCancellation(ex, cancellationToken))
            {
                results.Add(Outcome<TOut>.Failure(TaskState.Failed, ex));
            }
        }

        return results.ToArray();
    }

    /// <summary>
    /// A cancellation of the caller's own token stops the loop, as it stops a flow run (which ends
    /// Cancelled); any other exception, a cancellation the task made itself included, fails only its element.
    /// </summary>
    private static bool IsCallersCancellation(Exception error, CancellationToken cancellationToken) =>
        error is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private static int CountOf<T>(IEnumerable<T> items) => items is IReadOnlyCollection<T> collection ? collection.Count : 4;
}
