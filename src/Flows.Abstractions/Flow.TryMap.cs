namespace Flows;

/// <summary>
/// <c>Flow.TryMap</c>: a map that never fails as a whole. Each element's outcome is kept, in order,
/// so that a later task can decide what to do with the ones that failed.
/// </summary>
public static partial class Flow
{
    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/> and returns one
    /// <see cref="Outcome{T}"/> per element, in order: an element that throws does not fail the whole. In a flow
    /// run, a failed element keeps its record (Failed, TimedOut, Crashed) in the run's tasks and the map succeeds
    /// once every element has ended; called eagerly, each element's exception is caught.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, TOut>(
        Func<TIn, TOut> task,
        IEnumerable<TIn> items)
        => EagerMap.TryMap(task, items, task, CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/> and returns one
    /// <see cref="Outcome{T}"/> per element, in order: an element that throws does not fail the whole. In a flow
    /// run, a failed element keeps its record (Failed, TimedOut, Crashed) in the run's tasks and the map succeeds
    /// once every element has ended; called eagerly, each element's exception is caught.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, TOut>(
        Func<TIn, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMap(task, items, item => task(item, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/> and returns one
    /// <see cref="Outcome{T}"/> per element, in order: an element that throws does not fail the whole. In a flow
    /// run, a failed element keeps its record (Failed, TimedOut, Crashed) in the run's tasks and the map succeeds
    /// once every element has ended; called eagerly, each element's exception is caught.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, TOut>(
        Func<TIn, Task<TOut>> task,
        IEnumerable<TIn> items)
        => EagerMap.TryMapAsync(task, items, task, CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/> and returns one
    /// <see cref="Outcome{T}"/> per element, in order: an element that throws does not fail the whole. In a flow
    /// run, a failed element keeps its record (Failed, TimedOut, Crashed) in the run's tasks and the map succeeds
    /// once every element has ended; called eagerly, each element's exception is caught.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, TOut>(
        Func<TIn, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMapAsync(task, items, item => task(item, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, T2, TOut>(
        Func<TIn, T2, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2)
        => EagerMap.TryMap(task, items, item => task(item, arg2), CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, T2, TOut>(
        Func<TIn, T2, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMap(task, items, item => task(item, arg2, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, T2, TOut>(
        Func<TIn, T2, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2)
        => EagerMap.TryMapAsync(task, items, item => task(item, arg2), CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, T2, TOut>(
        Func<TIn, T2, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMapAsync(task, items, item => task(item, arg2, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3)
        => EagerMap.TryMap(task, items, item => task(item, arg2, arg3), CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMap(task, items, item => task(item, arg2, arg3, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3)
        => EagerMap.TryMapAsync(task, items, item => task(item, arg2, arg3), CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, T2, T3, TOut>(
        Func<TIn, T2, T3, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMapAsync(task, items, item => task(item, arg2, arg3, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4)
        => EagerMap.TryMap(task, items, item => task(item, arg2, arg3, arg4), CancellationToken.None);

    /// <summary>
    /// Runs the cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Outcome<TOut>[] TryMap<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, CancellationToken, TOut> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMap(task, items, item => task(item, arg2, arg3, arg4, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs the asynchronous <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4)
        => EagerMap.TryMapAsync(task, items, item => task(item, arg2, arg3, arg4), CancellationToken.None);

    /// <summary>
    /// Runs the asynchronous, cancellable <paramref name="task"/> once per element of <paramref name="items"/>, passing the element as its
    /// first argument and <paramref name="arg2"/> and <paramref name="arg3"/> and <paramref name="arg4"/> whole to every element, and returns one <see cref="Outcome{T}"/> per element,
    /// in order: an element that throws does not fail the whole.
    /// In a flow run the runtime binds each element's token to the run's cancellation and the task's timeout;
    /// called eagerly, <paramref name="cancellationToken"/> is passed, and its cancellation stops the loop.
    /// </summary>
    public static Task<Outcome<TOut>[]> TryMap<TIn, T2, T3, T4, TOut>(
        Func<TIn, T2, T3, T4, CancellationToken, Task<TOut>> task,
        IEnumerable<TIn> items,
        T2 arg2,
        T3 arg3,
        T4 arg4,
        CancellationToken cancellationToken = default)
        => EagerMap.TryMapAsync(task, items, item => task(item, arg2, arg3, arg4, cancellationToken), cancellationToken);
}
