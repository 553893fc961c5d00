namespace Flows.Hosting;

/// <summary>
/// How <c>services.AddFlows(...)</c> runs flows in a host: which executor, how long shutdown waits for running
/// flows, where schedules remember their last run. Bindable from configuration (<c>Executor</c>, <c>Workers</c>,
/// <c>ShutdownGrace</c>, <c>ScheduleStateDirectory</c>); checked when the host starts.
/// </summary>
public sealed class FlowsHostOptions
{
    /// <summary>The executor to make when no <see cref="UseExecutor(Func{IServiceProvider, FlowExecutor})"/> factory is given. Threads by default.</summary>
    public FlowsExecutorKind Executor { get; set; } = FlowsExecutorKind.Threads;

    /// <summary>Threads or worker processes of the executor <see cref="Executor"/> names; null (the default) for the core count.</summary>
    public int? Workers { get; set; }

    /// <summary>Settings of the worker processes when <see cref="Executor"/> is <see cref="FlowsExecutorKind.Processes"/>.</summary>
    public ProcessExecutorOptions? ProcessOptions { get; set; }

    /// <summary>
    /// How long stopping the host waits for flows still running (started through <see cref="FlowHost"/>, scheduled
    /// ones included) before it cancels them. 10 seconds by default: less than the host's own
    /// <c>HostOptions.ShutdownTimeout</c> (30 seconds by default), which bounds the whole stop, cancelled runs included.
    /// <see cref="TimeSpan.Zero"/> cancels at once; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits
    /// as long as the host lets it.
    /// </summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A folder where each schedule writes the time of its last run (one small file per schedule), so that a
    /// schedule with <see cref="MissedRunPolicy.RunOnce"/> knows, when the host starts again, whether it missed a
    /// run while the host was down. None (null) by default: then nothing is written and missed runs are not known.
    /// </summary>
    public string? ScheduleStateDirectory { get; set; }

    internal Func<IServiceProvider, CancellationToken, Task<FlowExecutor>>? ExecutorFactory { get; private set; }

    internal Func<FlowExecutor, CancellationToken, Task<FlowsHealth>>? HealthProbe { get; private set; }

    /// <summary>Runs flows with a <see cref="LocalExecutor"/>.</summary>
    public FlowsHostOptions UseLocal()
    {
        Executor = FlowsExecutorKind.Local;
        ExecutorFactory = null;
        return this;
    }

    /// <summary>Runs flows with a <see cref="ThreadExecutor"/> of <paramref name="numWorkers"/> workers (default: the core count).</summary>
    public FlowsHostOptions UseThreads(int? numWorkers = null)
    {
        Executor = FlowsExecutorKind.Threads;
        Workers = numWorkers;
        ExecutorFactory = null;
        return this;
    }

    /// <summary>
    /// Runs flows with a <see cref="ProcessExecutor"/> of <paramref name="numWorkers"/> worker processes (default:
    /// the core count), started with the host; the health check reports them.
    /// </summary>
    public FlowsHostOptions UseProcesses(int? numWorkers = null, ProcessExecutorOptions? options = null)
    {
        Executor = FlowsExecutorKind.Processes;
        Workers = numWorkers;
        ProcessOptions = options;
        ExecutorFactory = null;
        return this;
    }

    /// <summary>
    /// Runs flows with the executor <paramref name="factory"/> makes when the host starts (for example
    /// <c>sp => new ClusterExecutor(workers: 4)</c>). The host owns it: it is disposed when the host stops.
    /// </summary>
    public FlowsHostOptions UseExecutor(Func<IServiceProvider, FlowExecutor> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ExecutorFactory = (services, _) => Task.FromResult(factory(services));
        return this;
    }

    /// <summary>
    /// Runs flows with the executor <paramref name="factory"/> makes, and waits for, when the host starts (for
    /// example <c>(sp, ct) => ClusterExecutor.ConnectAsync(options, ct)</c> and a cast to <see cref="FlowExecutor"/>).
    /// The host owns it: it is disposed when the host stops.
    /// </summary>
    public FlowsHostOptions UseExecutor(Func<IServiceProvider, CancellationToken, Task<FlowExecutor>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ExecutorFactory = factory;
        return this;
    }

    /// <summary>
    /// What the health check reports instead of the executor's own answer (<see cref="FlowExecutor.CheckHealthAsync"/>,
    /// which already covers worker processes and a cluster's membership): for a check of your own, for example that a
    /// database the flows need answers. The host's own checks (started, stopping) come first; <paramref name="probe"/>
    /// is asked only when they pass, and may ask the executor itself (<c>await e.CheckHealthAsync(ct)</c>) to refine it.
    /// </summary>
    public FlowsHostOptions UseHealthProbe(Func<FlowExecutor, CancellationToken, Task<FlowsHealth>> probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        HealthProbe = probe;
        return this;
    }

    /// <summary>Throws when a setting cannot work, naming it and the value.</summary>
    internal void Validate()
    {
        if (Workers is < 1)
        {
            throw new InvalidOperationException($"FlowsHostOptions.Workers is {Workers}: an executor needs at least one worker. Set it to 1 or more, or leave it unset for the core count.");
        }

        if (ShutdownGrace < TimeSpan.Zero && ShutdownGrace != Timeout.InfiniteTimeSpan)
        {
            throw new InvalidOperationException($"FlowsHostOptions.ShutdownGrace is {ShutdownGrace}: it must be zero or more (or Timeout.InfiniteTimeSpan to wait as long as the host allows).");
        }

        if (!Enum.IsDefined(Executor))
        {
            throw new InvalidOperationException($"FlowsHostOptions.Executor is {(int)Executor}, which names no executor: use Threads, Local or Processes, or UseExecutor(...).");
        }
    }

    internal Task<FlowExecutor> CreateExecutorAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (ExecutorFactory is { } factory)
        {
            return factory(services, cancellationToken);
        }

        FlowExecutor executor = Executor switch
        {
            FlowsExecutorKind.Local => new LocalExecutor(),
            FlowsExecutorKind.Processes => new ProcessExecutor(Workers, ProcessOptions),
            _ => new ThreadExecutor(Workers),
        };
        return Task.FromResult(executor);
    }
}
