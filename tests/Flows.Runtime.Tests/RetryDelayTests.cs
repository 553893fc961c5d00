using Flows.Graph;

namespace Flows.Runtime.Tests;

/// <summary>
/// <see cref="TaskDescriptor.DelayBeforeRetry(int)"/>: the backoff, its cap (MaxRetryDelayMs) and the
/// jitter, tested on the delays themselves (the random draw is given, or bounded over many draws).
/// </summary>
public sealed class RetryDelayTests
{
    [Fact]
    public void The_delay_grows_by_the_backoff_after_each_retry()
    {
        var task = Task(retryDelayMs: 100, retryBackoff: 2);

        Assert.Equal(new[] { 100.0, 200, 400, 800 }, Delays(task, 4, draw: 0.5));
    }

    [Fact]
    public void MaxRetryDelayMs_caps_the_backoff()
    {
        var task = Task(retryDelayMs: 100, retryBackoff: 3, maxRetryDelayMs: 1_000);

        Assert.Equal(new[] { 100.0, 300, 900, 1_000, 1_000 }, Delays(task, 5, draw: 0.5));
    }

    [Fact]
    public void Without_a_cap_a_huge_backoff_stops_at_the_longest_delay_a_timer_takes()
    {
        var task = Task(retryDelayMs: 1_000, retryBackoff: 10);

        Assert.Equal(int.MaxValue, task.DelayBeforeRetry(400, draw: 0.5).TotalMilliseconds);
    }

    [Fact]
    public void The_jitter_multiplies_the_delay_by_a_factor_from_one_minus_to_one_plus_the_jitter()
    {
        var task = Task(retryDelayMs: 1_000, retryBackoff: 2, retryJitter: 0.2);

        Assert.Equal(800, task.DelayBeforeRetry(1, draw: 0).TotalMilliseconds, 6);
        Assert.Equal(1_000, task.DelayBeforeRetry(1, draw: 0.5).TotalMilliseconds, 6);
        Assert.Equal(1_200, task.DelayBeforeRetry(1, draw: 1).TotalMilliseconds, 6);
        Assert.Equal(2_400, task.DelayBeforeRetry(2, draw: 1).TotalMilliseconds, 6);
    }

    [Fact]
    public void With_a_cap_the_jitter_spreads_the_capped_delay_and_never_goes_past_the_cap()
    {
        var task = Task(retryDelayMs: 1_000, retryBackoff: 10, retryJitter: 0.5, maxRetryDelayMs: 4_000);

        Assert.Equal(2_000, task.DelayBeforeRetry(5, draw: 0).TotalMilliseconds, 6);
        Assert.Equal(3_000, task.DelayBeforeRetry(5, draw: 0.25).TotalMilliseconds, 6);
        Assert.Equal(4_000, task.DelayBeforeRetry(5, draw: 1).TotalMilliseconds, 6);
    }

    [Fact]
    public void Random_delays_stay_within_the_jitter_and_spread_over_it()
    {
        var task = Task(retryDelayMs: 1_000, retryJitter: 0.2);

        var delays = Enumerable.Range(0, 2_000).Select(_ => task.DelayBeforeRetry(1).TotalMilliseconds).ToArray();

        Assert.All(delays, d => Assert.InRange(d, 800, 1_200));

        // Uniform over [800, 1200]: 2000 draws all in one half has probability 2^-1999.
        Assert.True(delays.Min() < 900, $"the shortest of 2000 delays was {delays.Min()} ms");
        Assert.True(delays.Max() > 1_100, $"the longest of 2000 delays was {delays.Max()} ms");
    }

    [Fact]
    public void Without_jitter_the_delay_is_the_same_every_time()
    {
        var task = Task(retryDelayMs: 250, retryBackoff: 2);

        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(500, task.DelayBeforeRetry(2).TotalMilliseconds));
    }

    [Fact]
    public void No_delay_stays_no_delay_whatever_the_backoff_jitter_and_cap()
    {
        var task = Task(retryDelayMs: 0, retryBackoff: 2, retryJitter: 0.5, maxRetryDelayMs: 100);

        Assert.Equal(TimeSpan.Zero, task.DelayBeforeRetry(3));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_jitter_outside_zero_to_one_is_refused(double jitter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Task(retryDelayMs: 1, retryJitter: jitter));
        Assert.Equal("retryJitter", error.ParamName);
    }

    [Fact]
    public void A_negative_cap_an_infinite_backoff_and_an_empty_exception_name_are_refused()
    {
        Assert.Equal("maxRetryDelayMs", Assert.Throws<ArgumentOutOfRangeException>(() => Task(maxRetryDelayMs: -1)).ParamName);
        Assert.Equal("retryBackoff", Assert.Throws<ArgumentOutOfRangeException>(() => Task(retryBackoff: double.PositiveInfinity)).ParamName);
        Assert.Equal("retryOn", Assert.Throws<ArgumentException>(() => Task(retryOn: ["System.IO.IOException", " "])).ParamName);
    }

    [Fact]
    public void RetryOn_is_kept_in_order_and_empty_when_not_given()
    {
        Assert.Equal(new[] { "System.IO.IOException", "System.TimeoutException" }, Task(retryOn: ["System.IO.IOException", "System.TimeoutException"]).RetryOn);
        Assert.Empty(Task().RetryOn);
        Assert.Empty(Task(retryOn: []).RetryOn);
    }

    private static double[] Delays(TaskDescriptor task, int retries, double draw) =>
        Enumerable.Range(1, retries).Select(r => task.DelayBeforeRetry(r, draw).TotalMilliseconds).ToArray();

    private static TaskDescriptor Task(int retryDelayMs = 0, double retryBackoff = 1, double retryJitter = 0, int maxRetryDelayMs = 0, string[]? retryOn = null) =>
        new(
            "Tests.Delay.Task",
            "Task",
            (in TaskArguments _, CancellationToken _) => null,
            retries: 10,
            retryDelayMs: retryDelayMs,
            retryBackoff: retryBackoff,
            retryJitter: retryJitter,
            maxRetryDelayMs: maxRetryDelayMs,
            retryOn: retryOn);
}
