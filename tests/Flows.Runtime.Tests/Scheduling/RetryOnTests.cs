namespace Flows.Runtime.Tests.Scheduling;

/// <summary>
/// <c>RetryOn</c>: only a failure of a listed exception type (or one derived from it) is retried,
/// wherever the task ran; a timeout counts as a <see cref="TaskTimedOutException"/> and a crash as a
/// <see cref="TaskCrashedException"/>, so neither is retried unless RetryOn lists it (or a base of it).
/// </summary>
public sealed class RetryOnTests
{
    private const string IOExceptionName = "System.IO.IOException";

    [Fact]
    public async Task A_failure_of_a_listed_type_is_retried()
    {
        var (run, held) = Start(HeldTasks.Named("io", retries: 2, retryOn: IOExceptionName));

        (await held.NextAsync("io", 1)).Start().Fail(new IOException("disk busy"));

        Assert.Equal(TaskState.Retrying, run.StateOf("io"));
        (await held.NextAsync("io", 2)).Start().Succeed(5);
        (await held.NextAsync("after", 1)).Start().Succeed(6);
        var ended = await run.EndAsync();
        Assert.Equal((FlowState.Succeeded, 2), (ended.State, ended.Tasks[0].Attempts));
    }

    [Fact]
    public async Task A_failure_of_a_type_derived_from_a_listed_one_is_retried()
    {
        var (run, held) = Start(HeldTasks.Named("io", retries: 2, retryOn: IOExceptionName));

        (await held.NextAsync("io", 1)).Start().Fail(new FileNotFoundException("not yet", "data.csv"));

        Assert.Equal(TaskState.Retrying, run.StateOf("io"));
        Assert.Equal(2, (await held.NextAsync("io", 2)).Number);
    }

    [Fact]
    public async Task A_failure_of_a_type_not_listed_fails_the_task_at_once_with_retries_left()
    {
        var (run, held) = Start(HeldTasks.Named("io", retries: 2, retryOn: IOExceptionName));

        (await held.NextAsync("io", 1)).Start().Fail(new ArgumentException("bad input"));

        // Settled synchronously: nothing more was submitted, the task failed, what reads it is skipped.
        Assert.True(run.IsComplete);
        held.AssertNothingSubmitted();
        var ended = await run.EndAsync();
        Assert.Equal((TaskState.Failed, 1), (ended.Tasks[0].State, ended.Tasks[0].Attempts));
        Assert.IsType<ArgumentException>(ended.Tasks[0].Exception);
        Assert.Equal(TaskState.Skipped, ended.Tasks[1].State);
    }

    [Fact]
    public async Task A_remote_failure_is_retried_by_the_type_chain_its_worker_sent()
    {
        var (run, held) = Start(HeldTasks.Named("io", retries: 2, retryOn: IOExceptionName));

        // As a worker reports a FileNotFoundException: by names only, nothing loaded.
        var chain = new[] { "System.IO.FileNotFoundException", IOExceptionName, "System.SystemException", "System.Exception" };
        (await held.NextAsync("io", 1)).Start().Fail(new RemoteTaskException(chain[0], "not yet", "details", chain));
        Assert.Equal(TaskState.Retrying, run.StateOf("io"));

        // A type whose chain does not hold the name fails at once, even if its own name looks close.
        var other = new[] { "Acme.IOExceptionLike", "System.Exception" };
        (await held.NextAsync("io", 2)).Start().Fail(new RemoteTaskException(other[0], "odd", "details", other));
        var ended = await run.EndAsync();
        Assert.Equal((TaskState.Failed, 2), (ended.Tasks[0].State, ended.Tasks[0].Attempts));
        Assert.Equal("Acme.IOExceptionLike", ended.Tasks[0].ExceptionType);
    }

    [Fact]
    public async Task Listing_System_Exception_retries_every_failure()
    {
        var (run, held) = Start(HeldTasks.Named("any", retries: 1, retryOn: "System.Exception"));

        (await held.NextAsync("any", 1)).Start().Fail(new RemoteTaskException("Acme.Unknown", "odd", "details"));

        Assert.Equal(TaskState.Retrying, run.StateOf("any"));
    }

    [Fact]
    public async Task A_timeout_is_not_retried_when_RetryOn_does_not_list_it()
    {
        var (run, held) = Start(HeldTasks.Named("slow", retries: 2, timeoutMs: 50, retryOn: IOExceptionName));

        var one = (await held.NextAsync("slow", 1)).Start();
        await one.TokenCancelledAsync();
        one.Fail(new OperationCanceledException(one.Token));

        Assert.True(run.IsComplete);
        held.AssertNothingSubmitted();
        var ended = await run.EndAsync();
        Assert.Equal((TaskState.TimedOut, 1), (ended.Tasks[0].State, ended.Tasks[0].Attempts));
    }

    [Theory]
    [InlineData("Flows.TaskTimedOutException")]
    [InlineData("System.TimeoutException")]
    [InlineData("System.Exception")]
    public async Task A_timeout_is_retried_when_RetryOn_lists_TaskTimedOutException_or_a_base_of_it(string listed)
    {
        var (run, held) = Start(HeldTasks.Named("slow", retries: 2, timeoutMs: 50, retryOn: [IOExceptionName, listed]));

        var one = (await held.NextAsync("slow", 1)).Start();
        await one.TokenCancelledAsync();
        one.Fail(new OperationCanceledException(one.Token));

        Assert.Equal(TaskState.Retrying, run.StateOf("slow"));
        Assert.Equal(2, (await held.NextAsync("slow", 2)).Number);
    }

    [Fact]
    public async Task A_crash_is_not_retried_when_RetryOn_does_not_list_it()
    {
        var (run, held) = Start(HeldTasks.Named("fragile", retries: 2, retryOn: IOExceptionName));

        (await held.NextAsync("fragile", 1)).Start().Crash("worker died");

        Assert.True(run.IsComplete);
        held.AssertNothingSubmitted();
        var ended = await run.EndAsync();
        Assert.Equal((TaskState.Crashed, 1), (ended.Tasks[0].State, ended.Tasks[0].Attempts));
    }

    [Theory]
    [InlineData("Flows.TaskCrashedException")]
    [InlineData("System.Exception")]
    public async Task A_crash_is_retried_when_RetryOn_lists_TaskCrashedException_or_System_Exception(string listed)
    {
        var (run, held) = Start(HeldTasks.Named("fragile", retries: 2, retryOn: listed));

        (await held.NextAsync("fragile", 1)).Start().Crash("worker died");

        Assert.Equal(TaskState.Retrying, run.StateOf("fragile"));
        Assert.Equal(2, (await held.NextAsync("fragile", 2)).Number);
    }

    [Fact]
    public async Task Without_RetryOn_every_failure_timeout_and_crash_is_retried()
    {
        var (run, held) = Start(HeldTasks.Named("any", retries: 3, timeoutMs: 50));

        (await held.NextAsync("any", 1)).Start().Fail(new ArgumentException("bad input"));
        (await held.NextAsync("any", 2)).Start().Crash("worker died");
        var three = (await held.NextAsync("any", 3)).Start();
        await three.TokenCancelledAsync();
        three.Fail(new OperationCanceledException(three.Token));

        Assert.Equal(TaskState.Retrying, run.StateOf("any"));
        Assert.Equal(4, (await held.NextAsync("any", 4)).Number);
    }

    /// <summary>Starts a run of <paramref name="task"/> followed by a task that reads its result.</summary>
    private static (HeldRun Run, HeldDispatcher Held) Start(Graph.TaskDescriptor task)
    {
        var executor = new HeldExecutor();
        var g = new TestGraph("retry-on");
        var first = g.Task(task);
        g.Task(HeldTasks.Named("after"), first);
        return (executor.Start(g.Build()), executor.Dispatcher);
    }
}
