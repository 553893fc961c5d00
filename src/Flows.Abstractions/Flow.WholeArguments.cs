namespace Flows;

/// <summary>
/// <c>Flow.Map</c> with whole arguments: the collection maps onto the task's first parameter and each
/// further argument is passed, as it is, to every element (Prefect's <c>unmapped</c>), as in
/// <c>await Flow.Map(Download, urls, token, ct)</c> for <c>Download(string url, string token, CancellationToken ct)</c>.
/// </summary>
public static partial class Flow
{
    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// </summary>
    public static TOut[] Map<TIn, T2, TOut>(
        Func<TIn, T2, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2)
        => EagerMap.Map(task, items, item => task(item, arg2), CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static TOut[] Map<TIn, T2, TOut>(
        Func<TIn, T2, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        CancellationToken cancellationToken = default)
        => EagerMap.Map(task, items, item => task(item, arg2, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// </summary>
    public static Task<TOut[]> Map<TIn, T2, TOut>(
        Func<TIn, T2, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2)
        => EagerMap.MapAsync(task, items, item => task(item, arg2), CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<TOut[]> Map<TIn, T2, TOut>(
        Func<TIn, T2, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        CancellationToken cancellationToken = default)
        => EagerMap.MapAsync(task, items, item => task(item, arg2, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// </summary>
    public static TOut[] Map<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3)
        => EagerMap.Map(task, items, item => task(item, arg2, arg3), CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static TOut[] Map<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        CancellationToken cancellationToken = default)
        => EagerMap.Map(task, items, item => task(item, arg2, arg3, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// </summary>
    public static Task<TOut[]> Map<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3)
        => EagerMap.MapAsync(task, items, item => task(item, arg2, arg3), CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<TOut[]> Map<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        CancellationToken cancellationToken = default)
        => EagerMap.MapAsync(task, items, item => task(item, arg2, arg3, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// </summary>
    public static TOut[] Map<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4)
        => EagerMap.Map(task, items, item => task(item, arg2, arg3, arg4), CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static TOut[] Map<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4,
        CancellationToken cancellationToken = default)
        => EagerMap.Map(task, items, item => task(item, arg2, arg3, arg4, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// </summary>
    public static Task<TOut[]> Map<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4)
        => EagerMap.MapAsync(task, items, item => task(item, arg2, arg3, arg4), CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns the results in the order of the elements.
    /// An element that throws fails the whole map, as in <see cref="Map{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/>.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<TOut[]> Map<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4,
        CancellationToken cancellationToken = default)
        => EagerMap.MapAsync(task, items, item => task(item, arg2, arg3, arg4, cancellationToken), cancellationToken);
}
