namespace Flows.Runtime.Tests;

/// <summary>
/// <c>Flow.Map</c> and <c>Flow.TryMap</c> called directly, as a flow body runs when called eagerly,
/// and <see cref="Outcome{T}"/> itself.
/// </summary>
public sealed class EagerMapTests
{
    private static int Checked(int x) => x % 2 == 0 ? x * 10 : throw new ArgumentException($"odd {x}");

    [Fact]
    public void TryMap_catches_each_elements_exception_in_order()
    {
        var outcomes = Flow.TryMap(Checked, new[] { 2, 3, 4 });

        Assert.Equal(new[] { TaskState.Succeeded, TaskState.Failed, TaskState.Succeeded }, outcomes.Select(o => o.State));
        Assert.Equal((20, 40), (outcomes[0].Value, outcomes[2].Value));
        Assert.Equal("odd 3", Assert.IsType<ArgumentException>(outcomes[1].Exception).Message);
        Assert.Equal(typeof(ArgumentException).FullName, outcomes[1].ExceptionType);
        Assert.Null(outcomes[0].Exception);
        Assert.Null(outcomes[0].ExceptionType);
    }

    [Fact]
    public void The_value_of_a_failed_outcome_throws_naming_the_state_and_the_original_exception()
    {
        var failed = Flow.TryMap(Checked, new[] { 5 })[0];

        var error = Assert.Throws<InvalidOperationException>(() => failed.Value);

        Assert.Contains("failed with System.ArgumentException: odd 5", error.Message, StringComparison.Ordinal);
        Assert.Same(failed.Exception, error.InnerException);
        Assert.Equal("Failed: System.ArgumentException: odd 5", failed.ToString());
    }

    [Fact]
    public void A_default_outcome_is_Pending_and_has_no_value()
    {
        var empty = default(Outcome<int>);

        Assert.Equal(TaskState.Pending, empty.State);
        Assert.False(empty.Succeeded);
        Assert.Contains("Pending", Assert.Throws<InvalidOperationException>(() => empty.Value).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TaskState.Succeeded)]
    [InlineData(TaskState.Pending)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Retrying)]
    public void A_failure_outcome_refuses_a_state_that_is_not_a_failure(TaskState state)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Outcome<int>.Failure(state, new InvalidOperationException()));
    }

    [Fact]
    public void The_callers_cancellation_stops_TryMap_instead_of_becoming_an_outcome()
    {
        using var cts = new CancellationTokenSource();
        var calls = 0;
        int CancelAtTwo(int x, CancellationToken ct)
        {
            calls++;
            if (x == 2)
            {
                cts.Cancel();
                ct.ThrowIfCancellationRequested();
            }

            return x;
        }

        Assert.Throws<OperationCanceledException>(() => Flow.TryMap(CancelAtTwo, new[] { 1, 2, 3 }, cts.Token));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void A_cancellation_the_task_makes_itself_fails_only_its_element()
    {
        using var own = new CancellationTokenSource();
        own.Cancel();
        int GivesUp(int x, CancellationToken ct) => x == 1 ? throw new OperationCanceledException(own.Token) : x;

        var outcomes = Flow.TryMap(GivesUp, new[] { 0, 1, 2 }, CancellationToken.None);

        Assert.Equal(new[] { TaskState.Succeeded, TaskState.Failed, TaskState.Succeeded }, outcomes.Select(o => o.State));
        Assert.IsType<OperationCanceledException>(outcomes[1].Exception);
    }

    [Fact]
    public async Task An_async_TryMap_keeps_a_task_that_throws_before_returning_its_Task()
    {
        Task<int> ThrowsEarly(int x) => x == 1 ? throw new FormatException("early") : Task.FromResult(x);

        var outcomes = await Flow.TryMap(ThrowsEarly, new[] { 0, 1 });

        Assert.Equal(0, outcomes[0].Value);
        Assert.Equal("early", Assert.IsType<FormatException>(outcomes[1].Exception).Message);
    }

    [Fact]
    public async Task Whole_arguments_reach_every_element_after_it()
    {
        static string Join(string url, string token, int retries) => $"{url}:{token}:{retries}";
        static Task<string> JoinAsync(string url, string token, CancellationToken ct) => Task.FromResult($"{url}:{token}");

        Assert.Equal(new[] { "a:t:2", "b:t:2" }, Flow.Map(Join, new[] { "a", "b" }, "t", 2));
        Assert.Equal(new[] { "a:t", "b:t" }, await Flow.Map(JoinAsync, new[] { "a", "b" }, "t", CancellationToken.None));
        Assert.Equal(new[] { "a:t:2" }, Flow.TryMap(Join, new[] { "a" }, "t", 2).Select(o => o.Value));
    }

    [Fact]
    public async Task A_CancellationToken_after_the_whole_arguments_is_the_maps_token_not_a_whole_argument()
    {
        // The token overload checks the caller's token before each element; were the token passed as a
        // third whole argument instead, the task would be called once and see it.
        var calls = 0;
        Task<string> Download(string url, string token, CancellationToken ct)
        {
            calls++;
            return Task.FromResult(url + token);
        }

        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Flow.Map(Download, new[] { "u" }, "t", cts.Token));
        await Assert.ThrowsAsync<OperationCanceledException>(() => Flow.TryMap(Download, new[] { "u" }, "t", cts.Token));
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task A_null_task_or_collection_is_refused()
    {
        Assert.Throws<ArgumentNullException>("items", () => Flow.TryMap(Checked, (int[])null!));
        Assert.Throws<ArgumentNullException>("task", () => Flow.TryMap((Func<int, int>)null!, new[] { 1 }));
        await Assert.ThrowsAsync<ArgumentNullException>("items", () => Flow.Map((string s, int n) => Task.FromResult(s), (string[])null!, 1));
    }
}
