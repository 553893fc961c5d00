namespace Flows;

/// <summary>
/// An executor cannot take work: for example a <see cref="ThreadExecutor"/> with more abandoned
/// threads (stuck in code that ignored its timeout or cancellation) than its bound allows.
/// </summary>
public sealed class FlowExecutorException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public FlowExecutorException(string executorName, string message)
        : base(message)
    {
        ExecutorName = executorName;
    }

    /// <summary>The executor's <see cref="FlowExecutor.Name"/>.</summary>
    public string ExecutorName { get; }
}
