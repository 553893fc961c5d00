namespace Flows.Serialization.Tests;

/// <summary>Outcomes of every state, with real exceptions (thrown, so that they have a stack).</summary>
internal static class OutcomeSamples
{
    private static readonly TaskState[] s_failures = [TaskState.Failed, TaskState.TimedOut, TaskState.Crashed, TaskState.Cancelled, TaskState.Skipped];

    public static Exception Thrown(string message)
    {
        try
        {
            throw new ArgumentException(message, new FormatException("inner cause"));
        }
        catch (ArgumentException caught)
        {
            return caught;
        }
    }

    /// <summary>Successes, failures of each kind, and now and then a default (Pending) outcome.</summary>
    public static Outcome<Order>[] Outcomes(this Random random, int count) => Enumerable.Range(0, count)
        .Select(_ => random.Next(6) switch
        {
            0 or 1 => Outcome<Order>.Success(random.Order(random.Next(0, 3), random.Next(0, 4))),
            2 => default,
            _ => Outcome<Order>.Failure(s_failures[random.Next(s_failures.Length)], Thrown(random.Text())),
        })
        .ToArray();
}
