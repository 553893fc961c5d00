namespace Flows.Serialization.Tests;

/// <summary>Tasks that take and return <see cref="Outcome{T}"/>, what <c>Flow.TryMap</c> hands its readers.</summary>
public static partial class Shipping
{
    [Task] public static Outcome<Order>[] EchoOutcomes(Outcome<Order>[] outcomes) => outcomes;

    [Task] public static Outcome<int> EchoOutcome(Outcome<int> outcome) => outcome;

    [Flow(RunsOn = ExecutorKinds.Processes)]
    public static Outcome<Order>[] RoundtripOutcomes(Outcome<Order>[] outcomes, Outcome<int> one)
    {
        _ = EchoOutcome(one);
        return EchoOutcomes(outcomes);
    }
}
