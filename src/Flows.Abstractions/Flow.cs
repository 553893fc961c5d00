namespace Flows;

/// <summary>Operations a flow body may use besides task calls.</summary>
public static partial class Flow
{
    /// <summary>
    /// Orders the flow body's next steps after the steps that made <paramref name="results"/>, when
    /// they share no data (Prefect's <c>wait_for</c>): in a graph, every step written after this
    /// statement waits for those steps. Called eagerly it does nothing: the body already runs in order.
    /// </summary>
    /// <remarks>
    /// Steps written as statements of their own (whose results are not kept) keep their place in
    /// statement order without it; use this when a step whose result is kept has an effect that a
    /// later step relies on, as in <c>var written = await Write(path, ct); Flow.After(written); var n = await ReadLength(path, ct);</c>.
    /// </remarks>
    /// <param name="results">Locals holding the results of earlier steps.</param>
    public static void After(params object?[] results)
    {
        ArgumentNullException.ThrowIfNull(results);
    }

    /// <summary>
    /// Runs <paramref name="task"/> once per element of <paramref name="items"/> and returns the
    /// results in the order of the elements. In a flow run each element is its own task run, and
    /// elements run in parallel where the executor allows; called eagerly, it runs them in order.
    /// An element that throws fails the whole map; <c>Flow.TryMap</c> keeps each element's outcome instead.
    /// </summary>
    public static TOut[] Map<TIn, TOut>(Func<TIn, TOut> task, IEnumerable<TIn> items)
        => EagerMap.Map(task, items, task, CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's
    /// timeout; called eagerly, <paramref name="cancellationToken"/> is passed.
    /// </summary>
    public static TOut[] Map<TIn, TOut>(
        Func<TIn, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        CancellationToken cancellationToken = default)
        => EagerMap.Map(task, items, item => task(item, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>
    /// and returns the results in the order of the elements. Called eagerly, it awaits each element in turn.
    /// </summary>
    public static Task<TOut[]> Map<TIn, TOut>(Func<TIn, Task<TOut>> task, IEnumerable<TIn> items)
        => EagerMap.MapAsync(task, items, task, CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of
    /// <paramref name="items"/>. In a flow run the runtime binds each element's token to the run's
    /// cancellation and the task's timeout; called eagerly, <paramref name="cancellationToken"/> is passed.
    /// </summary>
    public static Task<TOut[]> Map<TIn, TOut>(
        Func<TIn, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        CancellationToken cancellationToken = default)
        => EagerMap.MapAsync(task, items, item => task(item, cancellationToken), cancellationToken);
}
