namespace Flows;

/// <summary>
/// How one element of <see cref="Flow.TryMap{TIn, TOut}(Func{TIn, TOut}, IEnumerable{TIn})"/> ended:
/// its value when it succeeded, otherwise its state and what it threw. A task may take outcomes as
/// inputs (<c>Summarize(Outcome&lt;Row[]&gt;[] parts)</c>) to decide what to do with the failures.
/// </summary>
/// <remarks>
/// When an element ran in another process, or its outcome crossed to one, the exception it carries
/// is a <see cref="RemoteTaskException"/> that stands for the original: <see cref="ExceptionType"/>
/// names the original type on every executor. The default value is an outcome that never ended
/// (<see cref="TaskState.Pending"/>, no value, no exception).
/// </remarks>
/// <typeparam name="T">The task's result type.</typeparam>
public readonly struct Outcome<T>
{
    private readonly T _value;

    private Outcome(TaskState state, T value, Exception? exception)
    {
        State = state;
        _value = value;
        Exception = exception;
    }

    /// <summary>How the element ended: <see cref="TaskState.Succeeded"/>, or how it did not.</summary>
    public TaskState State { get; }

    /// <summary>Whether the element succeeded, so that <see cref="Value"/> holds its result.</summary>
    public bool Succeeded => State == TaskState.Succeeded;

    /// <summary>What the element's last attempt threw, or why it did not finish; null when it succeeded.</summary>
    public Exception? Exception { get; }

    /// <summary>
    /// The full name of the type the task's code threw, the same on every executor (the original
    /// type when <see cref="Exception"/> stands for an exception thrown in another process); null when it succeeded.
    /// </summary>
    public string? ExceptionType => Exception switch
    {
        null => null,
        RemoteTaskException remote => remote.RemoteType,
        var own => own.GetType().FullName ?? own.GetType().Name,
    };

    /// <summary>The element's result.</summary>
    /// <exception cref="InvalidOperationException">The element did not succeed; the inner exception is its own.</exception>
    public T Value => Succeeded ? _value : throw NoValue();

    /// <summary>An element that succeeded with <paramref name="value"/>.</summary>
    public static Outcome<T> Success(T value) => new(TaskState.Succeeded, value, null);

    /// <summary>An element that ended in <paramref name="state"/> because of <paramref name="exception"/>.</summary>
    /// <param name="state">Failed, TimedOut, Crashed, Cancelled or Skipped.</param>
    /// <param name="exception">What it threw, or why it did not finish (a <see cref="RemoteTaskException"/> for an exception thrown elsewhere).</param>
    public static Outcome<T> Failure(TaskState state, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (state is not (TaskState.Failed or TaskState.TimedOut or TaskState.Crashed or TaskState.Cancelled or TaskState.Skipped))
        {
            throw new ArgumentOutOfRangeException(
                nameof(state), state, "An outcome that did not succeed is Failed, TimedOut, Crashed, Cancelled or Skipped; use Outcome<T>.Success for a value.");
        }

        return new Outcome<T>(state, default!, exception);
    }

    /// <summary><c>Succeeded: value</c>, or the state and the failure.</summary>
    public override string ToString() => State switch
    {
        TaskState.Succeeded => $"Succeeded: {_value}",
        TaskState.Pending when Exception is null => "Pending",
        _ => $"{State}: {ExceptionType}: {Exception?.Message}",
    };

    private InvalidOperationException NoValue() => Exception is null
        ? new InvalidOperationException($"This Outcome<{typeof(T).Name}> holds no value: it is {State} (an element that never ended, or a default value). Check Succeeded before reading Value.")
        : new InvalidOperationException(
            $"This Outcome<{typeof(T).Name}> holds no value: the element {Describe(State)} with {ExceptionType}: {Exception.Message.TrimEnd('.')}. " +
            "Check Succeeded before reading Value; Exception holds the failure (it is also the inner exception).",
            Exception);

    private static string Describe(TaskState state) => state switch
    {
        TaskState.TimedOut => "timed out",
        TaskState.Crashed => "crashed",
        TaskState.Cancelled => "was cancelled",
        TaskState.Skipped => "was skipped",
        _ => "failed",
    };
}
