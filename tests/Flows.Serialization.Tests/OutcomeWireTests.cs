namespace Flows.Serialization.Tests;

/// <summary>
/// <see cref="Outcome{T}"/> on the wire: its state, then its value when it succeeded, else the
/// failure as the original exception's type name, message and details, read back as a
/// <see cref="RemoteTaskException"/>; hostile bytes get a <see cref="FlowSerializationException"/>.
/// </summary>
public sealed class OutcomeWireTests
{
    [Fact]
    public void A_succeeded_outcome_round_trips_with_its_value()
    {
        var order = new Random(3).Order();

        var copy = Codecs.RoundTrip("EchoOutcomes", new[] { Outcome<Order>.Success(order) });

        var outcome = Assert.Single(copy);
        Assert.Equal(TaskState.Succeeded, outcome.State);
        Assert.Equal(Codecs.Json(order), Codecs.Json(outcome.Value));
        Assert.Null(outcome.Exception);
    }

    [Theory]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.TimedOut)]
    [InlineData(TaskState.Crashed)]
    [InlineData(TaskState.Cancelled)]
    [InlineData(TaskState.Skipped)]
    public void A_failed_outcome_comes_back_as_a_remote_exception_with_the_original_type_message_and_details(TaskState state)
    {
        var thrown = OutcomeSamples.Thrown("bad row 7");

        var copy = Codecs.RoundTrip("EchoOutcome", Outcome<int>.Failure(state, thrown));

        Assert.Equal(state, copy.State);
        Assert.False(copy.Succeeded);
        var remote = Assert.IsType<RemoteTaskException>(copy.Exception);
        Assert.Equal(typeof(ArgumentException).FullName, remote.RemoteType);
        Assert.Equal(typeof(ArgumentException).FullName, copy.ExceptionType);
        Assert.Equal(thrown.Message, remote.Message);
        Assert.Equal(thrown.ToString(), remote.RemoteDetails);
        Assert.Contains("inner cause", remote.RemoteDetails, StringComparison.Ordinal);
        Assert.Contains(nameof(OutcomeSamples.Thrown), remote.RemoteDetails, StringComparison.Ordinal);
        Assert.Contains("bad row 7", Assert.Throws<InvalidOperationException>(() => copy.Value).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outcome_that_crossed_once_crosses_again_as_the_original_not_as_a_RemoteTaskException()
    {
        var once = Codecs.RoundTrip("EchoOutcome", Outcome<int>.Failure(TaskState.Failed, OutcomeSamples.Thrown("twice")));

        // RoundTrip also checks that the copy writes the very same bytes.
        var twice = Codecs.RoundTrip("EchoOutcome", once);

        Assert.Equal(typeof(ArgumentException).FullName, twice.ExceptionType);
        Assert.Equal(((RemoteTaskException)once.Exception!).RemoteDetails, ((RemoteTaskException)twice.Exception!).RemoteDetails);
    }

    [Fact]
    public void A_default_outcome_round_trips_as_default()
    {
        var copy = Codecs.RoundTrip("EchoOutcome", default(Outcome<int>));

        Assert.Equal(TaskState.Pending, copy.State);
        Assert.Null(copy.Exception);
    }

    [Fact]
    public void Random_outcome_arrays_round_trip_for_a_hundred_seeds()
    {
        for (var seed = 0; seed < 100; seed++)
        {
            var original = new Random(seed).Outcomes(8);

            var copy = Codecs.RoundTrip("EchoOutcomes", original);

            Assert.Equal(original.Select(Describe), copy.Select(Describe));
        }
    }

    [Fact]
    public void The_bytes_are_the_state_then_the_value_or_the_failures_three_strings()
    {
        var codec = Codecs.For("EchoOutcome");

        Assert.Equal(new byte[] { WireFormat.Version, (byte)TaskState.Succeeded, 7, 0, 0, 0 }, Codecs.Arguments(codec, Outcome<int>.Success(7)));
        Assert.Equal(new byte[] { WireFormat.Version, (byte)TaskState.Pending }, Codecs.Arguments(codec, default(Outcome<int>)));
        var failed = Codecs.Arguments(codec, Outcome<int>.Failure(TaskState.Crashed, new RemoteTaskException("T", "m", "d")));
        Assert.Equal(new byte[] { WireFormat.Version, (byte)TaskState.Crashed, 2, (byte)'T', 2, (byte)'m', 2, (byte)'d' }, failed);
    }

    [Theory]
    [InlineData((byte)1)]
    [InlineData((byte)2)]
    [InlineData((byte)9)]
    [InlineData((byte)255)]
    public void A_state_no_outcome_has_is_refused(byte state)
    {
        var payload = new byte[] { WireFormat.Version, state, 7, 0, 0, 0 };

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoOutcome").ReadArguments(payload));

        Assert.Contains("Cannot read Outcome<int> at byte 1", error.Message, StringComparison.Ordinal);
        Assert.Contains($"state is {state}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 2, (byte)'m', 2, (byte)'d' })]
    [InlineData(new byte[] { 1, 2, (byte)'m', 2, (byte)'d' })]
    [InlineData(new byte[] { 2, (byte)'T', 0, 2, (byte)'d' })]
    [InlineData(new byte[] { 2, (byte)'T', 2, (byte)'m', 0 })]
    public void A_failure_without_its_type_message_or_details_is_refused(byte[] failure)
    {
        var payload = new byte[] { WireFormat.Version, (byte)TaskState.Failed }.Concat(failure).ToArray();

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoOutcome").ReadArguments(payload));

        Assert.Contains("lacks its exception's type, message or details", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_naming_any_exception_type_is_read_as_a_RemoteTaskException_and_nothing_is_instantiated()
    {
        var codec = Codecs.For("EchoOutcome");
        var payload = Codecs.Arguments(codec, Outcome<int>.Failure(TaskState.Failed, new RemoteTaskException("System.Diagnostics.Process, System", "start calc", "details")));

        var read = (Outcome<int>)codec.ReadArguments(payload)[0]!;

        var remote = Assert.IsType<RemoteTaskException>(read.Exception);
        Assert.Equal("System.Diagnostics.Process, System", remote.RemoteType);
        Assert.Equal("start calc", remote.Message);
    }

    [Fact]
    public void An_outcome_truncated_at_every_offset_is_refused()
    {
        var codec = Codecs.For("EchoOutcomes");
        var payload = Codecs.Arguments(codec, new Random(5).Outcomes(6));

        for (var length = 0; length < payload.Length; length++)
        {
            var cut = payload.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => codec.ReadArguments(cut));
            Assert.True(error is FlowSerializationException, $"length {length} of {payload.Length}: {error?.GetType().Name ?? "no exception"}");
        }
    }

    private static string Describe(Outcome<Order> outcome) => outcome.State switch
    {
        TaskState.Succeeded => "ok " + Codecs.Json(outcome.Value),
        TaskState.Pending => "pending",
        _ => $"{outcome.State} {outcome.ExceptionType} {outcome.Exception!.Message} {(outcome.Exception as RemoteTaskException)?.RemoteDetails ?? outcome.Exception.ToString()}",
    };
}
