using System.Collections.Immutable;
using Flows;

namespace Flows.Serialization.Tests;

/// <summary>
/// Tasks whose parameter and result types get generated serializers: the flows below make the
/// generator emit a codec for each, which the tests reach through the task registry.
/// </summary>
public static partial class Shipping
{
    [Task] public static Everything EchoEverything(Everything value) => value;

    [Task] public static Order EchoOrder(Order order) => order;

    [Task] public static double[] EchoDoubles(double[] values) => values;

    [Task] public static Node? EchoNode(Node? node) => node;

    [Task] public static Animal? EchoAnimal(Animal? animal) => animal;

    [Task] public static string? EchoString(string? text) => text;

    [Task] public static List<Dictionary<string, int[]>> EchoNested(List<Dictionary<string, int[]>> value) => value;

    [Task] public static ImmutableArray<Point> EchoPoints(ImmutableArray<Point> value) => value;

    [Task] public static int Add(int a, string b, Color color, CancellationToken ct) => a + b.Length + (int)color;

    [Task] public static Task<Point> MakePoint(int x, int y) => Task.FromResult(new Point(x, y));

    [Task] public static void Consume(Point point)
    {
    }

    [Task] public static Task Wait() => Task.CompletedTask;

    [Flow(RunsOn = ExecutorKinds.Processes)]
    public static async Task<Order> Roundtrip(Everything everything, Order order, double[] values, Node? node, Animal? animal, string? text,
        List<Dictionary<string, int[]>> nested, ImmutableArray<Point> points, CancellationToken ct)
    {
        var e = EchoEverything(everything);
        var d = EchoDoubles(values);
        var n = EchoNode(node);
        var a = EchoAnimal(animal);
        var s = EchoString(text);
        var l = EchoNested(nested);
        var p = EchoPoints(points);
        var sum = Add(1, "two", Color.Blue, ct);
        var made = await MakePoint(sum, 2);
        Consume(made);
        await Wait();
        return EchoOrder(order);
    }

    /// <summary>Calls a task another flow calls too: the registry lists it once.</summary>
    [Flow]
    public static Order Again(Order order) => EchoOrder(order);
}
