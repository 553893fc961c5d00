using System.ComponentModel;

namespace Flows.Graph;

/// <summary>
/// What the runtime knows of one <c>[Task]</c> method: its identity, its policy and how to call it.
/// Generated once per task method.
/// </summary>
public sealed class TaskDescriptor
{
    /// <summary>Describes a task.</summary>
    /// <param name="id">Stable identity across builds: <c>Namespace.Type.Method</c>, with the parameter types (<c>Namespace.Type.Method(string, int)</c>) for an overloaded task.</param>
    /// <param name="name">Display name in reports and logs.</param>
    /// <param name="invoke">Calls the method.</param>
    /// <param name="asyncResult">
    /// For an asynchronous task: reads the result of the completed <see cref="Task"/> the invoker
    /// returned (null for a plain <c>Task</c>). Null for a synchronous task.
    /// </param>
    /// <param name="retries">Retries after a failed attempt.</param>
    /// <param name="retryDelayMs">Delay before the first retry.</param>
    /// <param name="retryBackoff">Factor applied to the delay after each retry.</param>
    /// <param name="retryJitter">Random spread of each delay, a fraction in [0, 1): the delay is multiplied by a factor in [1 - j, 1 + j].</param>
    /// <param name="maxRetryDelayMs">The longest delay before a retry (jitter included); 0 for no cap.</param>
    /// <param name="retryOn">
    /// Full names of the exception types worth a retry (a failure of one of them or of a type derived
    /// from one); null or empty to retry every failure.
    /// </param>
    /// <param name="timeoutMs">Time limit of one attempt; 0 for none.</param>
    /// <param name="codec">Moves inputs and result across a process boundary; null when some type cannot be serialized.</param>
    /// <param name="codeHash">
    /// A hash of the task's code and of the shapes of the types it takes and returns, computed at
    /// compile time: checkpoints and cache entries made by other code are not reused. Null when unknown
    /// (a hand-built graph): its results are then never cached, and restored only by the same process.
    /// </param>
    /// <param name="checkpoint">Whether a run with a store checkpoints the task's results (<c>[Task(Checkpoint = false)]</c> opts out).</param>
    /// <param name="cacheFor">How long a cached result may be reused; zero for a task that is not cached.</param>
    /// <param name="cacheKey">The name cache entries are kept under (<c>[Task(CacheKey = ...)]</c>); null for the task's <paramref name="id"/>.</param>
    /// <remarks>Called by generated code; not for direct use.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public TaskDescriptor(
        string id,
        string name,
        TaskInvoker invoke,
        Func<Task, object?>? asyncResult = null,
        int retries = 0,
        int retryDelayMs = 0,
        double retryBackoff = 1.0,
        double retryJitter = 0.0,
        int maxRetryDelayMs = 0,
        IReadOnlyList<string>? retryOn = null,
        int timeoutMs = 0,
        ITaskCodec? codec = null,
        string? codeHash = null,
        bool checkpoint = true,
        TimeSpan cacheFor = default,
        string? cacheKey = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(invoke);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfNegative(retryDelayMs);
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMs);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetryDelayMs);
        if (!(retryBackoff >= 1.0) || double.IsPositiveInfinity(retryBackoff))
        {
            throw new ArgumentOutOfRangeException(nameof(retryBackoff), retryBackoff, "The retry backoff factor must be a finite number of 1 or more.");
        }

        if (!(retryJitter >= 0.0 && retryJitter < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(retryJitter), retryJitter, "The retry jitter must be at least 0 and less than 1.");
        }

        Id = id;
        Name = name;
        Invoke = invoke;
        AsyncResult = asyncResult;
        Retries = retries;
        RetryDelayMs = retryDelayMs;
        RetryBackoff = retryBackoff;
        RetryJitter = retryJitter;
        MaxRetryDelayMs = maxRetryDelayMs;
        RetryOn = Names(retryOn);
        TimeoutMs = timeoutMs;
        Codec = codec;
        if (cacheFor < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheFor), cacheFor, "How long a cached result may be reused cannot be negative.");
        }

        CodeHash = codeHash;
        Checkpoint = checkpoint;
        CacheFor = cacheFor;
        CacheKey = string.IsNullOrEmpty(cacheKey) ? id : cacheKey;
    }

    /// <summary>Stable identity across builds: <c>Namespace.Type.Method</c>, with the parameter types for an overloaded task.</summary>
    public string Id { get; }

    /// <summary>Display name in reports and logs.</summary>
    public string Name { get; }

    /// <summary>Calls the method.</summary>
    public TaskInvoker Invoke { get; }

    /// <summary>Reads the result of a completed asynchronous attempt; null for synchronous tasks.</summary>
    public Func<Task, object?>? AsyncResult { get; }

    /// <summary>Whether the invoker returns a <see cref="Task"/> to await.</summary>
    public bool IsAsync => AsyncResult is not null;

    /// <summary>Retries after a failed attempt.</summary>
    public int Retries { get; }

    /// <summary>Delay before the first retry, in milliseconds.</summary>
    public int RetryDelayMs { get; }

    /// <summary>Factor applied to the delay after each retry.</summary>
    public double RetryBackoff { get; }

    /// <summary>Random spread of each retry delay: it is multiplied by a factor in [1 - j, 1 + j].</summary>
    public double RetryJitter { get; }

    /// <summary>The longest delay before a retry, in milliseconds; 0 for no cap.</summary>
    public int MaxRetryDelayMs { get; }

    /// <summary>
    /// Full names of the exception types worth a retry (<c>[Task(RetryOn = ...)]</c>); empty when
    /// every failure is retried.
    /// </summary>
    public IReadOnlyList<string> RetryOn { get; }

    /// <summary>Time limit of one attempt in milliseconds; 0 for none.</summary>
    public int TimeoutMs { get; }

    /// <summary>Moves inputs and result across a process boundary; null when the task can only run in process.</summary>
    public ITaskCodec? Codec { get; }

    /// <summary>A hash of the task's code and of its types' shapes, computed at compile time; null when unknown.</summary>
    public string? CodeHash { get; }

    /// <summary>Whether a run with a store checkpoints this task's results.</summary>
    public bool Checkpoint { get; }

    /// <summary>How long a cached result may be reused; zero when the task is not cached.</summary>
    public TimeSpan CacheFor { get; }

    /// <summary>Whether results are cached (<c>[Task(CacheFor = ...)]</c>): needs a code hash and a codec.</summary>
    public bool IsCached => CacheFor > TimeSpan.Zero && CodeHash is not null && Codec is not null;

    /// <summary>The name cache entries are kept under: <c>[Task(CacheKey = ...)]</c>, else the task's <see cref="Id"/>.</summary>
    public string CacheKey { get; }

    /// <summary>
    /// How long the task's code runs in workers (a running average the process pool's and the
    /// cluster's queue budgets and placement estimate from, shared by every executor of the process).
    /// It lives in an object of its own: workers' reports update it from reader threads while the
    /// scheduler reads this descriptor on others.
    /// </summary>
    /// <summary>
    /// The category of the logger bound to the task's <c>ILogger</c> parameter: the full name of the
    /// task method's type (what <c>ILogger&lt;ThatType&gt;</c> would give), or <c>T</c>'s for an
    /// <c>ILogger&lt;T&gt;</c> parameter. Null when the task takes no logger; set by generated code.
    /// </summary>
    public string? LogCategory { get; init; }

    /// <summary>
    /// How many runs of this task (map elements included) one flow run (with its subflows) lets be in
    /// progress at once: <c>[Task(MaxConcurrency = n)]</c>. 0 (the default) for no limit; set by generated code.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        init => _maxConcurrency = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, $"Task '{Name}': MaxConcurrency = {value} cannot work; give 1 or more, or 0 for no limit.");
    }

    private readonly int _maxConcurrency;

    /// <summary>
    /// The task's tags (<c>[Task(Tags = ...)]</c>), which <see cref="FlowRunOptions.TagLimits"/> and
    /// <see cref="FlowExecutor.Limits"/> limit; empty when it has none. Set by generated code.
    /// </summary>
    /// <exception cref="ArgumentException">A tag is null, empty or white space.</exception>
    public IReadOnlyList<string> Tags
    {
        get => _tags;
        init => _tags = TagsOf(value);
    }

    private readonly IReadOnlyList<string> _tags = Array.Empty<string>();

    private IReadOnlyList<string> TagsOf(IReadOnlyList<string>? tags)
    {
        if (tags is null || tags.Count == 0)
        {
            return Array.Empty<string>();
        }

        var distinct = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]))
            {
                throw new ArgumentException($"Task '{Name}': tag {i} is null, empty or white space; give each tag a name, such as \"db\".", nameof(Tags));
            }

            if (!distinct.Contains(tags[i]))
            {
                distinct.Add(tags[i]);
            }
        }

        return distinct.AsReadOnly();
    }

    /// <summary>Whether the task takes an <c>ILogger</c> the runtime binds.</summary>
    internal bool TakesLogger => LogCategory is not null;

    /// <summary>The category of the task's records: <see cref="LogCategory"/>, else (console lines of a task without a logger) its type's name from its id.</summary>
    internal string RecordCategory => LogCategory ?? (_typeName ??= TypeNameOf(Id));

    private string? _typeName;

    /// <summary><c>Namespace.Type</c> of an id <c>Namespace.Type.Method</c>, or of an overload's <c>Namespace.Type.Method(types)</c>.</summary>
    private static string TypeNameOf(string id)
    {
        var method = id.IndexOf('(', StringComparison.Ordinal) is > 0 and var open ? id[..open] : id;
        return method.LastIndexOf('.') is > 0 and var dot ? method[..dot] : method;
    }

    internal RunTimeEstimate RunTime { get; } = new();

    /// <summary>
    /// The delay before retry number <paramref name="retry"/> (1-based): <c>RetryDelayMs</c> times
    /// <c>RetryBackoff</c> to the power <c>retry - 1</c>, capped at <c>MaxRetryDelayMs</c>, then
    /// multiplied by a random factor in [1 - <c>RetryJitter</c>, 1 + <c>RetryJitter</c>], and never
    /// more than <c>MaxRetryDelayMs</c>.
    /// </summary>
    public TimeSpan DelayBeforeRetry(int retry) =>
        DelayBeforeRetry(retry, RetryJitter == 0 ? 0.5 : Random.Shared.NextDouble());

    /// <summary>
    /// <see cref="DelayBeforeRetry(int)"/> with the random draw given: <paramref name="draw"/> in [0, 1]
    /// picks the jitter factor, 0 giving 1 - <c>RetryJitter</c> and 1 giving 1 + <c>RetryJitter</c>.
    /// </summary>
    internal TimeSpan DelayBeforeRetry(int retry, double draw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (RetryDelayMs == 0)
        {
            return TimeSpan.Zero;
        }

        var cap = MaxRetryDelayMs > 0 ? MaxRetryDelayMs : double.PositiveInfinity;
        var ms = Math.Min(RetryDelayMs * Math.Pow(RetryBackoff, retry - 1), cap);
        ms *= 1.0 - RetryJitter + (2.0 * RetryJitter * Math.Clamp(draw, 0.0, 1.0));
        return TimeSpan.FromMilliseconds(Math.Min(Math.Min(ms, cap), int.MaxValue));
    }

    /// <summary>
    /// Whether a failed, timed-out or crashed attempt may be retried as far as <see cref="RetryOn"/> is
    /// concerned: always when it is empty, else when <paramref name="error"/> (a timeout's
    /// <see cref="TaskTimedOutException"/>, a crash's <see cref="TaskCrashedException"/>) is of a listed type.
    /// </summary>
    internal bool RetriesOn(Exception? error) =>
        RetryOn.Count == 0 || (error is not null && ExceptionNames.IsOfAny(error, RetryOn));

    private static IReadOnlyList<string> Names(IReadOnlyList<string>? retryOn)
    {
        if (retryOn is null || retryOn.Count == 0)
        {
            return Array.Empty<string>();
        }

        var names = new string[retryOn.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = string.IsNullOrWhiteSpace(retryOn[i])
                ? throw new ArgumentException($"Entry {i} of the exception types to retry on is null or empty.", nameof(retryOn))
                : retryOn[i];
        }

        return Array.AsReadOnly(names);
    }
}
