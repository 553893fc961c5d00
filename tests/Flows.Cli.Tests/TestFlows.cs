using Flows;

namespace Flows.Cli.Tests;

public enum Colour { Red, Green }

public sealed record Item(string Name, int Count);

/// <summary>Flows whose catalog entries the unit tests bind parameters to and look up by name.</summary>
public static partial class Orders
{
    [Task]
    public static int Count(int quantity, string label, Colour colour, DateOnly day, double[] weights, int? limit) => quantity;

    [Task]
    public static int Total(Item[] items) => items.Sum(i => i.Count);

    [Task]
    public static int Echo(int value) => value;

    [Flow]
    public static int Price(int quantity, string label, Colour colour, DateOnly day, double[] weights, int? limit, CancellationToken ct) =>
        Count(quantity, label, colour, day, weights, limit);

    [Flow]
    public static int Sum(Item[] items) => Total(items);

    [Flow]
    public static int Same(int value) => Echo(value);
}

public static partial class Returns
{
    [Flow]
    public static int Same(int value) => Orders.Echo(value);
}
