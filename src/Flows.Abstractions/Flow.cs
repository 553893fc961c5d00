namespace Flows;

/// <summary>Operations a flow body may use besides task calls.</summary>
public static partial class Flow
{
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
