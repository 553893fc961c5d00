using Flows.Graph;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// An executor that runs nothing by itself: every attempt the scheduler submits is held by its
/// <see cref="HeldDispatcher"/> until the test decides what happens to it (start it, settle it, or
/// leave it), so that the scheduler's state transitions can be tested one at a time.
/// </summary>
/// <remarks>
/// One dispatcher serves every run of the executor; use one executor per run. Runs are started with
/// <see cref="Start"/> rather than <see cref="FlowRunner"/>, so that the test holds the run's state
/// and can read it mid-run (<see cref="HeldRun"/>); <see cref="Start"/> does what
/// <c>FlowRunner.RunAsync</c> does (<see cref="FlowRunState.Start"/>), and <see cref="HeldRun.EndAsync"/>
/// builds the same <see cref="FlowRun"/>.
/// </remarks>
internal sealed class HeldExecutor : FlowExecutor
{
    private int _runsBegun;

    /// <param name="maxParallelism">What the executor reports; it sets the map window, <c>max(1024, 64 × maxParallelism)</c>.</param>
    public HeldExecutor(int maxParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        MaxParallelism = maxParallelism;
    }

    public override string Name => "held";

    public override int MaxParallelism { get; }

    /// <summary>Where the attempts of this executor's runs wait for the test.</summary>
    public HeldDispatcher Dispatcher { get; } = new();

    /// <summary>How many runs called <see cref="BeginRun"/>.</summary>
    public int RunsBegun => Volatile.Read(ref _runsBegun);

    /// <summary>
    /// Starts a run of <paramref name="graph"/>. Its roots are submitted (and held) before this returns.
    /// </summary>
    public HeldRun Start(FlowGraph graph, object?[]? arguments = null, CancellationToken cancellationToken = default, FlowRunOptions? options = null) =>
        new(FlowRunState.Start(graph, this, arguments ?? Array.Empty<object?>(), options, cancellationToken), Dispatcher);

    protected internal override WorkDispatcher BeginRun()
    {
        Interlocked.Increment(ref _runsBegun);
        return Dispatcher;
    }
}

/// <summary>Task descriptors for held runs: their code is never meant to run, the test settles their attempts.</summary>
internal static class HeldTasks
{
    /// <summary>
    /// A task named <paramref name="name"/> whose code throws if anything runs it (a held attempt is
    /// settled by the test, never executed), with the given retry and timeout policy
    /// (<paramref name="retryOn"/>: the full names of the exception types worth a retry; none for every failure).
    /// </summary>
    public static TaskDescriptor Named(string name, int retries = 0, int retryDelayMs = 0, int timeoutMs = 0, params string[] retryOn) =>
        new(
            $"Tests.Held.{name}",
            name,
            (in TaskArguments _, CancellationToken _) => throw new InvalidOperationException(
                $"Held task '{name}' was executed: a held attempt is settled by the test, nothing should run its code."),
            retries: retries,
            retryDelayMs: retryDelayMs,
            retryOn: retryOn,
            timeoutMs: timeoutMs);
}
