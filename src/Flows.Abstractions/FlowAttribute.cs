namespace Flows;

/// <summary>
/// Marks a static method of a <c>partial</c> class as a flow. The source generator compiles its
/// body into a static graph of task calls and emits, next to it, a class named
/// <c>&lt;Method&gt;Flow</c> with a typed <c>RunAsync(executor, ...)</c>.
/// </summary>
/// <remarks>
/// Called directly, the method still runs eagerly, top to bottom, as the plain C# it is.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlowAttribute : Attribute
{
    /// <summary>The name shown in run reports and logs; <c>Class.Method</c> when not set.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// The executors this flow is meant to run on. Where it includes <see cref="ExecutorKinds.Threads"/>,
    /// the thread-safety analyzers check the flow itself; where it includes a kind that leaves the
    /// process, every value crossing a task boundary must have a generated serializer. Unspecified
    /// (the default): each <c>RunAsync</c> call is checked against the executor it passes.
    /// </summary>
    public ExecutorKinds RunsOn { get; set; }
}
