using Flows.Console.Display;
using Flows.Console.Model;
using Spectre.Console;

namespace Flows.Console;

/// <summary>
/// Shows a run while it goes: give it to the run, <c>new FlowRunOptions { Listeners = [new FlowProgress()] }</c>.
/// In a terminal, a live display (Spectre.Console): a line per task, map and subflow (a subflow's own
/// nodes under it) with its state; a bar with counts for each map; failures and retries printed above
/// it as they happen; the elapsed time. Where the output is not a terminal (redirected, CI,
/// <c>TERM=dumb</c>), plain lines instead: the start, each node's end, each failure and retry, a map's
/// progress at each quarter. At the run's end (before <c>RunAsync</c> returns) the display stops and
/// the final table is printed: per node its state, attempts, duration and a map's counts by state,
/// made from the run's record, so it is exact even when the display fell behind.
/// </summary>
/// <remarks>
/// The run's events only change an in-memory model (O(1) each, on the run's event thread); one
/// thread redraws the live display at <see cref="FlowProgressOptions.RefreshInterval"/>. While it
/// runs, write to the terminal only through the same <see cref="IAnsiConsole"/> (its lines then go above the display).
/// One <see cref="FlowProgress"/> shows one run at a time; it may be given to runs one after another.
/// </remarks>
public sealed class FlowProgress : IFlowEventListener
{
    private readonly IAnsiConsole _console;
    private readonly Lock _gate = new();
    private Session? _session;

    /// <summary>A display on standard output (<see cref="AnsiConsole.Console"/>), live if it is a terminal.</summary>
    public FlowProgress()
        : this(new FlowProgressOptions())
    {
    }

    /// <summary>A display on <paramref name="console"/>, live if it is a terminal.</summary>
    public FlowProgress(IAnsiConsole console)
        : this(new FlowProgressOptions { Console = console ?? throw new ArgumentNullException(nameof(console)) })
    {
    }

    /// <summary>A display as <paramref name="options"/> say.</summary>
    public FlowProgress(FlowProgressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RefreshInterval < TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RefreshInterval, "FlowProgressOptions.RefreshInterval must be at least 10 ms (100 ms is the default).");
        }

        if (options.MaxNodeLines < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxNodeLines, "FlowProgressOptions.MaxNodeLines must be at least 1.");
        }

        if (options.MaxTableRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxTableRows, "FlowProgressOptions.MaxTableRows must be at least 1.");
        }

        if (options.MaxFailureMessages < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxFailureMessages, "FlowProgressOptions.MaxFailureMessages must not be negative (0 prints none).");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "FlowProgressOptions.Mode must be Auto, Live or Plain.");
        }

        Options = options;
        _console = options.Console ?? AnsiConsole.Console;
        Mode = options.Mode switch
        {
            FlowProgressMode.Auto => TerminalDetection.IsLiveTerminal(_console, Environment.GetEnvironmentVariable) ? FlowProgressMode.Live : FlowProgressMode.Plain,
            _ => options.Mode,
        };
    }

    /// <summary>The settings it was made with.</summary>
    public FlowProgressOptions Options { get; }

    /// <summary>How it shows runs: <see cref="FlowProgressMode.Live"/> or <see cref="FlowProgressMode.Plain"/> (<see cref="FlowProgressMode.Auto"/> decided).</summary>
    public FlowProgressMode Mode { get; }

    /// <summary>
    /// Live, the display reads progress from the run itself at each refresh (<see cref="FlowStarted.Live"/>) and
    /// asks only for the events that are news, so a run of many small tasks makes no event per success. Plain
    /// lines tell each node's end as it happens, so they take every event.
    /// </summary>
    public FlowEventKinds Kinds => Mode == FlowProgressMode.Live
        ? FlowEventKinds.TaskNotSucceeded | FlowEventKinds.TaskRetrying | FlowEventKinds.Maps | FlowEventKinds.Subflows
        : FlowEventKinds.All;

    /// <summary>Called on the render thread after each frame of the live display (tests see frames as they are drawn).</summary>
    internal Action<IAnsiConsole>? Rendered { get; init; }

    /// <inheritdoc />
    public void OnEvent(FlowEvent flowEvent)
    {
        ArgumentNullException.ThrowIfNull(flowEvent);
        switch (flowEvent)
        {
            case FlowStarted started:
                Start(started);
                return;
            case FlowFinished finished:
                Finish(finished);
                return;
        }

        var session = Volatile.Read(ref _session);
        if (session is null || !string.Equals(session.Model.RunId, flowEvent.RunId, StringComparison.Ordinal))
        {
            // Another run than the one shown (or none): one run at a time.
            return;
        }

        try
        {
            lock (session.Model.Gate)
            {
                var change = session.Model.Apply(flowEvent);
                if (change != ProgressChange.None)
                {
                    session.View.Changed(change, flowEvent, session.Model.LastNode);
                }
            }
        }
        catch
        {
            // The run takes out a listener that throws: the display must not go on without events.
            End(session, abort: true);
            throw;
        }
    }

    private void Start(FlowStarted started)
    {
        Session session;
        lock (_gate)
        {
            if (_session is not null)
            {
                return;
            }

            var model = new RunModel(started);
            IProgressView view = Mode == FlowProgressMode.Live
                ? new LiveView(_console, model, Options, Rendered)
                : new PlainView(_console.Profile.Out.Writer, model, Options);
            session = new Session(model, view);
            _session = session;
        }

        try
        {
            session.View.Started();
        }
        catch
        {
            End(session, abort: true);
            throw;
        }
    }

    private void Finish(FlowFinished finished)
    {
        var session = Volatile.Read(ref _session);
        if (session is null || !string.Equals(session.Model.RunId, finished.RunId, StringComparison.Ordinal))
        {
            return;
        }

        End(session, abort: false, finished);
    }

    private void End(Session session, bool abort, FlowFinished? finished = null)
    {
        try
        {
            if (abort)
            {
                session.View.Abort();
            }
            else
            {
                session.View.Finished(finished!);
            }
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_session, session))
                {
                    _session = null;
                }
            }
        }
    }

    private sealed record Session(RunModel Model, IProgressView View);
}
