using Microsoft.Extensions.Logging;

namespace Flows;

/// <summary>Per-run settings that are not the flow's inputs.</summary>
public sealed class FlowRunOptions
{
    /// <summary>
    /// Where the run logs task starts, retries, failures and timeouts, and where the records of its
    /// tasks' own loggers go (a task's <c>ILogger</c> parameter, on every executor: records written in a
    /// worker are sent back to this process). None when null: a task's logger then does nothing.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Whether what a task's code writes to <see cref="Console.Out"/> and <see cref="Console.Error"/>
    /// becomes records of that task (line by line: standard output at Information, standard error at
    /// Warning, with the task's category and scope) in <see cref="LoggerFactory"/>, on every executor,
    /// instead of reaching the console. Off by default; needs a <see cref="LoggerFactory"/>. Output of
    /// code that is not a task's is untouched.
    /// </summary>
    public bool CaptureConsole { get; init; }

    /// <summary>
    /// When set, a run that makes no progress (no task attempt starts or finishes) for this long is
    /// reported: a warning through <see cref="LoggerFactory"/>'s logger names every task in flight and
    /// how long it has run, once per stall. Off (null) by default: a run whose one task legitimately
    /// works for hours makes no progress either, and a task's own <c>TimeoutMs</c> is the limit that
    /// stops work. The run itself goes on; must be positive.
    /// </summary>
    public TimeSpan? StallTimeout { get; init; }

    /// <summary>
    /// Where the run keeps its arguments, the result of every task that succeeds (its checkpoints) and
    /// cached results, so that a failed, cancelled or killed run can be resumed with
    /// <c>ResumeAsync</c>. None when null: nothing is written and nothing costs.
    /// </summary>
    public FlowStore? Store { get; init; }

    /// <summary>
    /// The run's name in <see cref="Store"/>: what <c>ResumeAsync</c> is given to resume it. Null (the
    /// default) for a new unique id. A new run may not reuse the id of a run the store already has.
    /// </summary>
    public string? RunId { get; init; }

    /// <summary>
    /// Who sees the run's events while it runs (<see cref="FlowEvent"/>: tasks started, retrying,
    /// finished, maps expanded, ...), in order, on a delivery thread of their own. None when null or
    /// empty: then no event is even made. <see cref="FlowListener"/> has short forms for hooks,
    /// <see cref="FlowEventStream"/> reads them with <c>await foreach</c>.
    /// </summary>
    public IReadOnlyList<IFlowEventListener>? Listeners { get; init; }

    /// <summary>
    /// How many events may wait for slow listeners before new ones are dropped (and counted in an
    /// <see cref="EventsDropped"/>): the run never waits for its listeners. 65,536 by default (a few MB).
    /// </summary>
    public int EventBufferCapacity { get; init; } = 65_536;

    /// <summary>
    /// Limits on tags for this run and its subflows: with <c>{ ["db"] = 4 }</c>, at most four task runs of
    /// tasks tagged <c>[Task(Tags = new[] { "db" })]</c> (map elements included) are in progress at once,
    /// on every executor, however many workers it has. A task run that waits for a place holds no thread
    /// and no worker. Each limit must be 1 or more, and each tag must be carried by a task of the flow
    /// (else the run does not start: an <see cref="ArgumentException"/> names the tag). None when null.
    /// Limits shared by every run of an executor: <see cref="FlowExecutor.Limits"/>; both apply.
    /// </summary>
    public IReadOnlyDictionary<string, int>? TagLimits { get; init; }

    /// <summary>
    /// How many elements of a chain of maps (<c>Flow.Map(B, Flow.Map(A, xs))</c>, where nothing else reads
    /// A's result whole) may be in flight at once: element i of B starts as soon as element i of A
    /// succeeded, A's next element starts only while fewer than this many are in flight, and A's element
    /// is dropped once B's has read it, so that a run holds a bounded number of intermediate results.
    /// Null (the default): twice the executor's <see cref="FlowExecutor.MaxParallelism"/>, at least 4.
    /// 0: chains run breadth-first, every element of A before any of B (as before chains existed).
    /// Negative values are refused. See docs/chained-maps.md.
    /// </summary>
    public int? MapChainWindow { get; init; }
}
