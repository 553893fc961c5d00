using Xunit.Sdk;

namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// A dispatcher that holds every submitted attempt in a queue until the test takes it
/// (<see cref="NextAsync"/>, <see cref="Take"/>) and decides its fate through <see cref="HeldAttempt"/>.
/// It never runs task code, never kills or replaces anything (<see cref="WorkDispatcher.KillsHungAttempts"/>
/// stays false, so a timed-out attempt is counted abandoned), and records what the scheduler told it.
/// </summary>
/// <remarks>
/// <para>
/// When is "nothing more was submitted" (<see cref="AssertNothingSubmitted"/>) a fact and not a race?
/// Whatever the scheduler does in answer to a call the test makes (<see cref="HeldAttempt.Succeed"/>,
/// <see cref="HeldAttempt.Fail(Exception)"/>, <see cref="HeldAttempt.Crash"/>, <see cref="HeldAttempt.Reject"/>,
/// <see cref="HeldAttempt.TryStart"/>, cancelling the run's token, starting the run) it does
/// synchronously on the test's thread before that call returns: finishing a node, skipping or
/// cancelling what depends on it, readying dependents, a map's next element, a retry without delay,
/// completing the run. What happens later, on another thread: a retry after a delay
/// (<c>TaskDescriptor.RetryDelayMs</c>; when the run is cancelled, the delay's continuation that
/// settles the waiting attempt also runs after <c>Cancel()</c> returns), anything that follows a
/// timeout (the timer's thread), and whatever follows the end of a subflow (its completion
/// continues asynchronously). Await submissions from those with <see cref="NextAsync"/>; their
/// absence cannot be asserted at a given moment.
/// </para>
/// <para>Waits never poll or sleep: <see cref="NextAsync"/> awaits a signal that <see cref="Submit"/> completes.</para>
/// </remarks>
internal sealed class HeldDispatcher : WorkDispatcher
{
    private readonly object _gate = new();
    private readonly Queue<HeldAttempt> _queued = new();
    private readonly List<HeldAttempt> _submitted = new();
    private readonly List<TaskAttempt> _abandoned = new();
    private TaskCompletionSource? _submittedSignal;
    private TaskCompletionSource? _abandonedSignal;
    private int _burstDepth;
    private int _bursts;
    private int _runCancelledCalls;
    private int _runsEnded;

    /// <summary>Every attempt ever submitted, in order (taken or not).</summary>
    public IReadOnlyList<HeldAttempt> Submitted
    {
        get
        {
            lock (_gate)
            {
                return _submitted.ToArray();
            }
        }
    }

    /// <summary>The attempts submitted and not yet taken, oldest first.</summary>
    public IReadOnlyList<HeldAttempt> Queued
    {
        get
        {
            lock (_gate)
            {
                return _queued.ToArray();
            }
        }
    }

    /// <summary>The attempts <see cref="WorkDispatcher.OnAbandoned"/> was told of, in order.</summary>
    public IReadOnlyList<TaskAttempt> Abandoned
    {
        get
        {
            lock (_gate)
            {
                return _abandoned.ToArray();
            }
        }
    }

    /// <summary>How many bursts began (nested ones included).</summary>
    public int Bursts => Volatile.Read(ref _bursts);

    /// <summary>How many times <see cref="WorkDispatcher.OnRunCancelled"/> was called.</summary>
    public int RunCancelledCalls => Volatile.Read(ref _runCancelledCalls);

    /// <summary>How many times <see cref="WorkDispatcher.RunEnded"/> was called.</summary>
    public int RunsEnded => Volatile.Read(ref _runsEnded);

    public override void Submit(TaskAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        TaskCompletionSource? signal;
        lock (_gate)
        {
            var held = new HeldAttempt(attempt, _burstDepth > 0, _submitted.Count);
            _queued.Enqueue(held);
            _submitted.Add(held);
            signal = _submittedSignal;
            _submittedSignal = null;
        }

        // Its continuations run asynchronously: the test never runs inside the scheduler's call.
        signal?.TrySetResult();
    }

    public override void BeginBurst()
    {
        lock (_gate)
        {
            _burstDepth++;
            _bursts++;
        }
    }

    public override void EndBurst()
    {
        lock (_gate)
        {
            if (--_burstDepth < 0)
            {
                throw new InvalidOperationException("EndBurst without a BeginBurst.");
            }
        }
    }

    public override void OnAbandoned(TaskAttempt attempt)
    {
        TaskCompletionSource? signal;
        lock (_gate)
        {
            _abandoned.Add(attempt);
            signal = _abandonedSignal;
            _abandonedSignal = null;
        }

        signal?.TrySetResult();
    }

    internal override void OnRunCancelled() => Interlocked.Increment(ref _runCancelledCalls);

    public override void RunEnded() => Interlocked.Increment(ref _runsEnded);

    /// <summary>
    /// Takes the oldest held attempt, waiting for one to be submitted if none is; checks that it is
    /// <paramref name="task"/>'s attempt <paramref name="number"/> when they are given.
    /// </summary>
    /// <exception cref="TimeoutException">Nothing was submitted within <paramref name="patience"/> (default <see cref="Scratch.Patience"/>); the message names what was awaited.</exception>
    public async Task<HeldAttempt> NextAsync(string? task = null, int? number = null, TimeSpan? patience = null)
    {
        var limit = patience ?? Scratch.Patience;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_queued.TryDequeue(out var next))
                {
                    Check(next, task, number);
                    return next;
                }

                _submittedSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived = _submittedSignal.Task;
            }

            var left = deadline - DateTime.UtcNow;
            try
            {
                await arrived.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(
                    $"HeldDispatcher: waited {limit.TotalMilliseconds:F0} ms for {Describe(task, number)} to be submitted, and nothing was. " +
                    $"Submitted so far: [{string.Join(", ", Submitted.Select(a => a.ToString()))}].");
            }
        }
    }

    /// <summary>Takes the held attempt of <paramref name="task"/> (its number <paramref name="number"/> if given), wherever it is in the queue.</summary>
    public HeldAttempt Take(string task, int? number = null)
    {
        lock (_gate)
        {
            var found = _queued.FirstOrDefault(a => a.Name == task && (number is null || a.Number == number));
            if (found is null)
            {
                throw new XunitException(
                    $"HeldDispatcher: {Describe(task, number)} is not held. Held now: [{string.Join(", ", _queued.Select(a => a.ToString()))}].");
            }

            var rest = _queued.Where(a => !ReferenceEquals(a, found)).ToArray();
            _queued.Clear();
            foreach (var a in rest)
            {
                _queued.Enqueue(a);
            }

            return found;
        }
    }

    /// <summary>Takes every held attempt, oldest first.</summary>
    public IReadOnlyList<HeldAttempt> TakeAll()
    {
        lock (_gate)
        {
            var all = _queued.ToArray();
            _queued.Clear();
            return all;
        }
    }

    /// <summary>
    /// Fails unless no attempt is held right now. Deterministic after a call the scheduler answers
    /// synchronously; see the remarks of <see cref="HeldDispatcher"/> for what it answers later.
    /// </summary>
    public void AssertNothingSubmitted()
    {
        var held = Queued;
        if (held.Count != 0)
        {
            throw new XunitException($"HeldDispatcher: expected nothing new to be submitted, but {held.Count} attempt(s) are held: [{string.Join(", ", held.Select(a => a.ToString()))}].");
        }
    }

    /// <summary>
    /// Completes with the <paramref name="index"/>-th attempt (0-based) that <see cref="WorkDispatcher.OnAbandoned"/> was told of,
    /// waiting for it if needed; a <see cref="TimeoutException"/> after <paramref name="patience"/>.
    /// </summary>
    public async Task<TaskAttempt> AbandonedAsync(int index = 0, TimeSpan? patience = null)
    {
        var limit = patience ?? Scratch.Patience;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_abandoned.Count > index)
                {
                    return _abandoned[index];
                }

                _abandonedSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrived = _abandonedSignal.Task;
            }

            var left = deadline - DateTime.UtcNow;
            try
            {
                await arrived.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException(
                    $"HeldDispatcher: waited {limit.TotalMilliseconds:F0} ms for abandoned attempt #{index + 1}, and OnAbandoned was called {Abandoned.Count} time(s).");
            }
        }
    }

    private static void Check(HeldAttempt attempt, string? task, int? number)
    {
        if ((task is not null && attempt.Name != task) || (number is not null && attempt.Number != number))
        {
            throw new XunitException($"HeldDispatcher: expected {Describe(task, number)} to be submitted next, but the next one is {attempt}.");
        }
    }

    private static string Describe(string? task, int? number) => (task, number) switch
    {
        (null, null) => "an attempt",
        (null, { } n) => $"an attempt number {n}",
        ({ } t, null) => $"an attempt of '{t}'",
        ({ } t, { } n) => $"attempt {n} of '{t}'",
    };
}

/// <summary>
/// One submitted attempt, held until the test settles it. The methods are the calls a real
/// dispatcher makes: <see cref="TaskAttempt.TryStart"/>, <see cref="TaskAttempt.Succeed"/>,
/// <see cref="TaskAttempt.Fail"/>, <see cref="TaskAttempt.Crash"/>, <see cref="TaskAttempt.Reject"/>.
/// </summary>
internal sealed class HeldAttempt
{
    internal HeldAttempt(TaskAttempt attempt, bool inBurst, int order)
    {
        Attempt = attempt;
        SubmittedInBurst = inBurst;
        Order = order;
    }

    /// <summary>The scheduler's attempt itself.</summary>
    public TaskAttempt Attempt { get; }

    /// <summary>The task run's name (<c>Name[i]</c> for a map element, <c>Sub/Name</c> in a subflow).</summary>
    public string Name => Attempt.TaskName;

    /// <summary>1 for the first attempt, 2 for the first retry...</summary>
    public int Number => Attempt.Number;

    /// <summary>The map element, or -1.</summary>
    public int Element => Attempt.ElementIndex;

    /// <summary>Whether it was submitted between a BeginBurst and its EndBurst.</summary>
    public bool SubmittedInBurst { get; }

    /// <summary>Its place among everything the dispatcher was given (0-based).</summary>
    public int Order { get; }

    /// <summary>Whether the attempt has settled (the test's call or the scheduler's: a timeout, a cancellation).</summary>
    public bool IsSettled => Attempt.IsSettled;

    /// <summary>The token <see cref="TryStart"/> gave: cancelled when the run is cancelled or the attempt times out.</summary>
    public CancellationToken Token { get; private set; }

    /// <summary>Whether <see cref="TryStart"/> was called and returned true.</summary>
    public bool Started { get; private set; }

    /// <summary>Argument <paramref name="index"/> of the attempt (for a map element, 0 is the element).</summary>
    public T Input<T>(int index) => Attempt.Arguments.Get<T>(index);

    /// <summary><see cref="TaskAttempt.TryStart"/>: false (and the attempt settled Cancelled) when the run is being cancelled.</summary>
    public bool TryStart()
    {
        if (Started)
        {
            throw new InvalidOperationException($"{this} was already started; a dispatcher starts an attempt once.");
        }

        Started = Attempt.TryStart(out var token);
        Token = token;
        return Started;
    }

    /// <summary>Starts the attempt, failing the test if the scheduler refuses (the run is being cancelled).</summary>
    public HeldAttempt Start()
    {
        if (!TryStart())
        {
            throw new XunitException($"{this} did not start: TryStart returned false (the run is being cancelled).");
        }

        return this;
    }

    public void Succeed(object? value) => Attempt.Succeed(value);

    public void Fail(Exception error) => Attempt.Fail(error);

    /// <summary>Fails the attempt with an <see cref="InvalidOperationException"/> of <paramref name="message"/>.</summary>
    public void Fail(string message) => Attempt.Fail(new InvalidOperationException(message));

    public void Crash(string cause = "killed by the test") => Attempt.Crash(new TaskCrashedException(Attempt.FlowName, Name, cause));

    public void Reject(Exception reason) => Attempt.Reject(reason);

    /// <summary>
    /// Completes when the token <see cref="TryStart"/> gave is cancelled (a timeout or the run's
    /// cancellation); a <see cref="TimeoutException"/> after <paramref name="patience"/>.
    /// </summary>
    public async Task TokenCancelledAsync(TimeSpan? patience = null)
    {
        if (!Started)
        {
            throw new InvalidOperationException($"{this} has no token: it was not started.");
        }

        var limit = patience ?? Scratch.Patience;
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = Token.Register(() => fired.TrySetResult());
        try
        {
            await fired.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{this}: its token was not cancelled within {limit.TotalMilliseconds:F0} ms.");
        }
    }

    public override string ToString() => $"'{Name}' attempt {Number}";
}
