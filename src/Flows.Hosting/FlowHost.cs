using Flows.Hosting.Schedules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flows.Hosting;

/// <summary>
/// The executor of a host and the flow runs started through it (<c>services.AddFlows(...)</c> registers it as
/// a singleton and a hosted service). The executor is made and started when the host starts; application code
/// starts runs with <see cref="RunAsync{TRun}"/>, which gives them the host's <see cref="ILoggerFactory"/> and
/// keeps track of them. When the host stops, schedules stop first, running flows get
/// <see cref="FlowsHostOptions.ShutdownGrace"/> to finish, those still running are then cancelled, and the
/// executor is disposed.
/// </summary>
public sealed class FlowHost : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly FlowsHostOptions _options;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IReadOnlyList<FlowSchedule> _schedules;
    private readonly CancellationTokenSource _cancelRuns = new();
    private readonly HashSet<Task> _running = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<ScheduleRunner> _runners = new();
    private FlowExecutor? _executor;
    private HostState _state;
    private bool _disposed;

    /// <summary>Made by dependency injection (<c>services.AddFlows(...)</c>).</summary>
    public FlowHost(IOptions<FlowsHostOptions> options, IServiceProvider services, ILoggerFactory loggerFactory, TimeProvider time, IEnumerable<FlowSchedule> schedules)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _services = services;
        _time = time;
        LoggerFactory = loggerFactory;
        _log = loggerFactory.CreateLogger("Flows.Hosting");
        _schedules = schedules.ToArray();
    }

    private enum HostState
    {
        Created,
        Started,
        Stopping,
        Stopped,
    }

    /// <summary>The host's logger factory: what runs started here log to (<see cref="FlowRunOptions.LoggerFactory"/>).</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The host's executor, once the host has started; until then (and after it stopped) an <see cref="InvalidOperationException"/>.</summary>
    public FlowExecutor Executor
    {
        get
        {
            lock (_gate)
            {
                return _state == HostState.Started && _executor is { } executor
                    ? executor
                    : throw new InvalidOperationException(_state < HostState.Started
                        ? "The Flows executor is made when the host starts: use FlowHost (or FlowExecutor) once the host has started, e.g. in a BackgroundService's ExecuteAsync, or start runs with FlowHost.RunAsync, which waits for the start."
                        : "The host is stopping or has stopped, and its Flows executor with it: start no more runs.");
            }
        }
    }

    /// <summary>Whether the host has started and is not stopping: runs may start.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _state == HostState.Started;
            }
        }
    }

    /// <summary>How many runs started through this host have not ended.</summary>
    public int RunningFlows
    {
        get
        {
            lock (_gate)
            {
                return _running.Count;
            }
        }
    }

    /// <summary>
    /// Starts a flow run on the host's executor and keeps track of it until it ends, so that stopping the host
    /// waits for it (then cancels it, after <see cref="FlowsHostOptions.ShutdownGrace"/>). <paramref name="start"/>
    /// is the generated call, given the executor, the run's options and its token:
    /// <c>host.RunAsync((executor, options, ct) => Etl.ReportFlow.RunAsync(executor, urls, token, ct, options))</c>.
    /// A run started before the host has started waits for it.
    /// </summary>
    /// <param name="start">Starts the run: pass it the executor, the token and the options it is given.</param>
    /// <param name="options">The run's options; null for the host's (its <see cref="LoggerFactory"/>). Given ones are passed as they are.</param>
    /// <param name="cancellationToken">Cancels the run (as does the host's stop, after the grace).</param>
    /// <exception cref="InvalidOperationException">The host is stopping or has stopped.</exception>
    public async Task<TRun> RunAsync<TRun>(Func<FlowExecutor, FlowRunOptions, CancellationToken, Task<TRun>> start, FlowRunOptions? options = null, CancellationToken cancellationToken = default)
        where TRun : FlowRun
    {
        ArgumentNullException.ThrowIfNull(start);
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FlowExecutor executor;
        lock (_gate)
        {
            if (_state != HostState.Started || _executor is null)
            {
                throw new InvalidOperationException("The host is stopping or has stopped: FlowHost starts no more flow runs. Start runs while the host runs (IHostApplicationLifetime.ApplicationStopping says when it stops).");
            }

            executor = _executor;
            _running.Add(ended.Task);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancelRuns.Token);
        try
        {
            return await start(executor, options ?? new FlowRunOptions { LoggerFactory = LoggerFactory }, cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(ended.Task);
            }

            ended.TrySetResult();
        }
    }

    /// <summary>Makes the executor (and starts a process executor's workers), then starts the schedules.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state != HostState.Created)
            {
                throw new InvalidOperationException("FlowHost has already been started; a host starts it once.");
            }
        }

        try
        {
            _options.Validate();
            var runners = _schedules.Select(s => new ScheduleRunner(s, this, _time, _options.ScheduleStateDirectory, LoggerFactory)).ToList();
            var executor = await _options.CreateExecutorAsync(_services, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The executor factory given to FlowsHostOptions.UseExecutor returned null: return the executor the host should run flows with.");
            lock (_gate)
            {
                _executor = executor;
            }

            if (executor is ProcessExecutor processes)
            {
                await processes.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            lock (_gate)
            {
                _state = HostState.Started;
                _runners.AddRange(runners);
            }

            _log.LogInformation("Flows: the {Executor} executor has started ({Parallelism} at a time); {Schedules} schedule(s).", executor.Name, executor.MaxParallelism, runners.Count);
            _started.TrySetResult();
            foreach (var runner in runners)
            {
                runner.Start();
            }
        }
        catch (Exception e)
        {
            // An executor made before the failure (a process executor whose workers did not start) is not left running.
            _started.TrySetException(e);
            await DisposeExecutorAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Stops the schedules, waits up to <see cref="FlowsHostOptions.ShutdownGrace"/> for the runs still going,
    /// cancels those that are left and waits for them (as long as <paramref name="cancellationToken"/>, the
    /// host's shutdown timeout, allows), then disposes the executor.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        ScheduleRunner[] runners;
        lock (_gate)
        {
            if (_state != HostState.Started)
            {
                _state = HostState.Stopped;
                _started.TrySetException(new InvalidOperationException("The host stopped before FlowHost started."));
                return;
            }

            _state = HostState.Stopping;
            running = _running.ToArray();
            runners = _runners.ToArray();
        }

        // The grace is measured from here, on the host's clock, before anything is awaited.
        using var graceTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var graceOver = Task.Delay(_options.ShutdownGrace, _time, graceTimer.Token);
        foreach (var runner in runners)
        {
            runner.Stop();
        }

        var allEnded = Task.WhenAll(running);
        if (running.Length > 0)
        {
            _log.LogInformation("Flows: the host is stopping; waiting up to {Grace} for {Count} running flow(s).", _options.ShutdownGrace, running.Length);
        }

        if (await Task.WhenAny(allEnded, graceOver).ConfigureAwait(false) != allEnded)
        {
            _log.LogWarning("Flows: {Count} flow run(s) still running after the shutdown grace ({Grace}) are cancelled.", RunningFlows, _options.ShutdownGrace);
            await _cancelRuns.CancelAsync().ConfigureAwait(false);
            try
            {
                await allEnded.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _log.LogError("Flows: {Count} cancelled flow run(s) had not ended when the host's shutdown timeout ran out; the executor is disposed under them.", RunningFlows);
            }
        }

        // The grace's timer is not left behind when the runs ended before it.
        await graceTimer.CancelAsync().ConfigureAwait(false);
        foreach (var runner in runners)
        {
            await runner.Stopped.ConfigureAwait(false);
        }

        await DisposeExecutorAsync().ConfigureAwait(false);
        _log.LogInformation("Flows: the executor has stopped.");
    }

    /// <summary>Cancels what still runs and disposes the executor, if <see cref="StopAsync"/> has not. May be called more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (BeginDispose())
        {
            await DisposeExecutorAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose()
    {
        if (BeginDispose())
        {
            DisposeExecutorAsync().GetAwaiter().GetResult();
        }
    }

    private bool BeginDispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _disposed = true;
            _started.TrySetException(new ObjectDisposedException(nameof(FlowHost), "The host was disposed before FlowHost started."));
        }

        // Not disposed: a run that ends later still unregisters from it.
        _cancelRuns.Cancel();
        return true;
    }

    /// <summary>The executor as the health check sees it, and whether the host runs.</summary>
    internal (FlowExecutor? Executor, bool Running) Snapshot()
    {
        lock (_gate)
        {
            return (_executor, _state == HostState.Started);
        }
    }

    internal FlowsHostOptions Options => _options;

    private async Task DisposeExecutorAsync()
    {
        FlowExecutor? executor;
        lock (_gate)
        {
            executor = _executor;
            _executor = null;
            _state = HostState.Stopped;
        }

        if (executor is not null)
        {
            await executor.DisposeAsync().ConfigureAwait(false);
        }
    }
}
