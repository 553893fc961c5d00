namespace Flows.Serialization.Tests;

/// <summary>
/// Hostile payloads get a <see cref="FlowSerializationException"/> and nothing else: no other
/// exception, no hang, no allocation of what the payload merely claims.
/// </summary>
public sealed class FuzzTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All().Select(t => t.Task));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Twenty_thousand_random_and_twenty_thousand_mutated_payloads_only_ever_raise_serialization_exceptions(string task)
    {
        var seeds = FuzzTargets.All().Single(t => t.Task == task).Seeds;

        var report = PayloadFuzzer.Run(Codecs.For(task), seeds, cases: 40_000, seed: task.Length);

        Assert.Equal(40_000, report.Accepted + report.Refused);
        Assert.True(report.Refused > 0);
    }

    public static TheoryData<string, int> Inputs()
    {
        var data = new TheoryData<string, int>();
        foreach (var (task, position, _) in FuzzTargets.Inputs())
        {
            data.Add(task, position);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Ten_thousand_payloads_for_each_input_read_alone_only_ever_raise_serialization_exceptions(string task, int position)
    {
        var seeds = FuzzTargets.Inputs().Single(t => t.Task == task && t.Position == position).Seeds;

        var report = PayloadFuzzer.Run(Codecs.For(task), seeds, cases: 10_000, seed: task.Length + position, position: position);

        Assert.Equal(10_000, report.Accepted + report.Refused);
        Assert.True(report.Refused > 0);
        Assert.True(report.Accepted > 0);
    }

    [Fact]
    public void Results_are_fuzzed_too()
    {
        var codec = Codecs.For("EchoOrder");
        var seeds = Enumerable.Range(0, 8).Select(i => Codecs.Result(codec, new Random(i).Order())).ToArray();

        var report = PayloadFuzzer.Run(codec, seeds, cases: 20_000, seed: 3, result: true);

        Assert.Equal(20_000, report.Accepted + report.Refused);
    }
}
