// Compiled twice: here, as the public Flows.ExecutorKinds, and into the generator (linked source, FLOWS_GENERATOR)
// as the internal Flows.Generator.ExecutorKinds, so the analyzers reason with the very numbers the runtime declares
// without referencing this assembly. Keep it free of anything netstandard2.0 or the generator lacks.
#if FLOWS_GENERATOR
namespace Flows.Generator;
#else
namespace Flows;
#endif

/// <summary>
/// Kinds of executor a flow may run on. Declared on a flow with <see cref="P:Flows.FlowAttribute.RunsOn"/>,
/// and on an executor class with <see cref="T:Flows.ExecutorKindAttribute"/>, it tells the analyzers
/// which checks apply: thread-safety where tasks share memory on threads, serializability where task
/// inputs and results cross a process boundary.
/// </summary>
[System.Flags]
#if FLOWS_GENERATOR
internal
#else
public
#endif
enum ExecutorKinds
{
    /// <summary>Not declared: the analyzers judge each <c>RunAsync</c> call by its executor's type.</summary>
    Unspecified = 0,

    /// <summary><c>LocalExecutor</c>: one task at a time on the caller.</summary>
    Inline = 1,

    /// <summary><c>ThreadExecutor</c>: tasks share memory across threads.</summary>
    Threads = 2,

    /// <summary><c>ProcessExecutor</c>: inputs and results are copied to worker processes.</summary>
    Processes = 4,

    /// <summary><c>ClusterExecutor</c>: inputs and results move between cluster workers.</summary>
    Cluster = 8,

    /// <summary>Every executor in this process.</summary>
    InProcess = Inline | Threads,

    /// <summary>Every executor that copies data to other processes.</summary>
    OutOfProcess = Processes | Cluster,

    /// <summary>Any executor.</summary>
    Any = InProcess | OutOfProcess,
}
