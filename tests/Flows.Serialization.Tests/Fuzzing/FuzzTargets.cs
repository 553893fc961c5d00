namespace Flows.Serialization.Tests;

/// <summary>The codecs the fuzzer attacks, each with valid payloads to mutate.</summary>
internal static class FuzzTargets
{
    public static IEnumerable<(string Task, byte[][] Seeds)> All()
    {
        var random = new Random(2024);
        yield return ("EchoEverything", Seeds(random, "EchoEverything", r => r.Everything()));
        yield return ("EchoOrder", Seeds(random, "EchoOrder", r => r.Order(r.Next(0, 4), r.Next(0, 8))));
        yield return ("EchoNode", Seeds(random, "EchoNode", r => r.Chain(r.Next(0, 8))));
        yield return ("EchoNested", Seeds(random, "EchoNested", r => r.Array(q => q.Array(p => p.Text()).Distinct().ToDictionary(s => s, s => q.Array(p => p.Next()))).ToList()));
        yield return ("EchoDoubles", Seeds(random, "EchoDoubles", r => r.Array(q => q.NextDouble())));
        yield return ("Add", Seeds(random, "Add", r => new object?[] { r.Next(), r.Text(), (Color)r.Next(3) }));
        yield return ("EchoOutcomes", Seeds(random, "EchoOutcomes", r => r.Outcomes(r.Next(0, 6))));
    }

    /// <summary>
    /// Every input of every target alone, with valid single-input payloads to mutate: each whole
    /// seed of <see cref="All"/> read back and its input at that position written by itself.
    /// </summary>
    public static IEnumerable<(string Task, int Position, byte[][] Seeds)> Inputs()
    {
        foreach (var (task, seeds) in All())
        {
            var codec = Codecs.For(task);
            var arguments = seeds.Select(s => codec.ReadArguments(s)).ToArray();
            for (var position = 0; position < arguments[0].Count; position++)
            {
                yield return (task, position, arguments.Select(a => Codecs.Argument(codec, position, a[position])).ToArray());
            }
        }
    }

    private static byte[][] Seeds<T>(Random random, string task, Func<Random, T> make)
    {
        var codec = Codecs.For(task);
        return Enumerable.Range(0, 16)
            .Select(_ => make(random) is object?[] many && task == "Add" ? Codecs.Arguments(codec, many) : Codecs.Arguments(codec, make(random)))
            .ToArray();
    }
}
