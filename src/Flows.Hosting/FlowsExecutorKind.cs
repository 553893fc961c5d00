namespace Flows.Hosting;

/// <summary>
/// The executors <see cref="FlowsHostOptions"/> can make by name (from configuration, for example). Any other
/// executor, a <c>ClusterExecutor</c> among them, comes in through <see cref="FlowsHostOptions.UseExecutor(Func{IServiceProvider, FlowExecutor})"/>.
/// </summary>
public enum FlowsExecutorKind
{
    /// <summary>A <see cref="ThreadExecutor"/> with <see cref="FlowsHostOptions.Workers"/> workers (the default).</summary>
    Threads,

    /// <summary>A <see cref="LocalExecutor"/>: tasks one at a time, inline.</summary>
    Local,

    /// <summary>A <see cref="ProcessExecutor"/> with <see cref="FlowsHostOptions.Workers"/> worker processes, started with the host.</summary>
    Processes,
}
