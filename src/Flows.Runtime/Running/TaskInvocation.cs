using Flows.Graph;

namespace Flows;

/// <summary>
/// The one way a task's code is called and its outcome read, wherever it runs (an in-process
/// attempt, a process worker, a cluster worker): call the invoker, check that an asynchronous
/// task returned a <see cref="Task"/>, and read a completed task as a value or an error, mapping
/// a cancelled task to an <see cref="OperationCanceledException"/> and unwrapping a single fault.
/// </summary>
internal static class TaskInvocation
{
    /// <summary>
    /// Calls the task's code. A synchronous task's result is its value; an asynchronous task's is the
    /// <see cref="Task"/> it returned (null is refused with <see cref="InvalidOperationException"/>).
    /// </summary>
    /// <exception cref="Exception">Whatever the task's code threw.</exception>
    /// <remarks><paramref name="who"/> names the task in an error message; it is called only for an error (a static lambda allocates nothing).</remarks>
    public static object? Call<TState>(TaskDescriptor task, in TaskArguments arguments, CancellationToken cancellationToken, TState state, Func<TState, string> who)
    {
        var result = task.Invoke(in arguments, cancellationToken);
        if (task.IsAsync && result is not Task)
        {
            throw new InvalidOperationException($"{who(state)} returned null instead of a Task. Return a Task from the task method.");
        }

        return result;
    }

    /// <summary>
    /// Reads a completed asynchronous task: its value (through the descriptor's result reader), or
    /// the error it ended with: the one exception it threw, an <see cref="AggregateException"/> if it
    /// threw several, an <see cref="OperationCanceledException"/> if it was cancelled.
    /// </summary>
    /// <remarks><paramref name="who"/> names the task in the cancellation's message.</remarks>
    public static bool TryRead<TState>(TaskDescriptor task, Task completed, TState state, Func<TState, string> who, out object? value, out Exception? error)
    {
        value = null;
        error = null;
        if (completed.IsCompletedSuccessfully)
        {
            try
            {
                value = task.AsyncResult!(completed);
                return true;
            }
            catch (Exception ex)
            {
                error = ex;
                return false;
            }
        }

        if (completed.IsCanceled)
        {
            error = new OperationCanceledException($"{who(state)} was cancelled.");
            return false;
        }

        var errors = completed.Exception!.InnerExceptions;
        error = errors.Count == 1 ? errors[0] : completed.Exception;
        return false;
    }

    /// <summary>Blocks until an asynchronous task's <see cref="Task"/> completes, then reads it (for a worker that runs one task at a time).</summary>
    /// <exception cref="Exception">The error the task ended with.</exception>
    public static object? Wait<TState>(TaskDescriptor task, Task pending, TState state, Func<TState, string> who)
    {
        try
        {
            pending.Wait();
        }
        catch (AggregateException)
        {
            // Read below, as every executor reads it.
        }

        return TryRead(task, pending, state, who, out var value, out var error) ? value : throw error!;
    }
}
