namespace Flows;

/// <summary>
/// Declares which kind of executor a <c>FlowExecutor</c> class is. The analyzers read it from the
/// static type of the executor passed to each generated <c>XFlow.RunAsync(executor, ...)</c> (or
/// from the nearest base class that declares it) and apply what that kind needs: with
/// <see cref="ExecutorKinds.Threads"/>, the thread-safety checks of the flow (FLOW201, FLOW202); with
/// <see cref="ExecutorKinds.Processes"/> or <see cref="ExecutorKinds.Cluster"/>, the serializability
/// check of every task it calls (FLOW102).
/// </summary>
/// <remarks>
/// The executors Flows ships carry it (<c>LocalExecutor</c>: <see cref="ExecutorKinds.Inline"/>,
/// <c>ThreadExecutor</c>, <c>ProcessExecutor</c>, <c>ClusterExecutor</c>); an executor of your own
/// declares its kind the same way. It has no effect at run time.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExecutorKindAttribute : Attribute
{
    /// <summary>Declares the executor class to be of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind, or kinds, of executor the class is.</param>
    public ExecutorKindAttribute(ExecutorKinds kind) => Kind = kind;

    /// <summary>The kind, or kinds, of executor the class is.</summary>
    public ExecutorKinds Kind { get; }
}
