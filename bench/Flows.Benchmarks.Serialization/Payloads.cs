using System.Text.Json.Serialization;
using Flows;
using MemoryPack;

namespace Flows.Benchmarks.Serialization;

public enum Status { Open, Shipped, Closed }

/// <summary>A record with nested collections: what a typical task passes.</summary>
[MemoryPackable]
public sealed partial record Order(
    Guid Id,
    string Customer,
    DateTime Placed,
    decimal Total,
    Status Status,
    List<OrderLine> Lines,
    Dictionary<string, int> Counters,
    string[] Tags,
    double[] Samples);

[MemoryPackable]
public sealed partial record OrderLine(string Sku, int Quantity, double Price, string? Note);

/// <summary>System.Text.Json's source-generated serializers of the same types.</summary>
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(double[]))]
internal sealed partial class BenchJsonContext : JsonSerializerContext
{
}

/// <summary>Tasks that pass the benchmark's types, so the Flows generator emits their codecs here.</summary>
public static partial class BenchTasks
{
    [Task] public static Order EchoOrder(Order order) => order;

    [Task] public static double[] EchoDoubles(double[] values) => values;

    [Flow(RunsOn = ExecutorKinds.Processes)]
    public static double[] Both(Order order, double[] values)
    {
        var echoed = EchoOrder(order);
        return EchoDoubles(values);
    }

    public static Order SampleOrder()
    {
        var random = new Random(42);
        return new Order(
            Guid.NewGuid(),
            "Customer Ünïcode 42",
            new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc),
            12345.67m,
            Status.Shipped,
            Enumerable.Range(0, 20).Select(i => new OrderLine("SKU-" + i, i, random.NextDouble() * 100, i % 3 == 0 ? null : "note " + i)).ToList(),
            Enumerable.Range(0, 8).ToDictionary(i => "counter-" + i, i => i * 7),
            new[] { "priority", "gift", "fragile", "eu", "b2b" },
            Enumerable.Range(0, 64).Select(_ => random.NextDouble()).ToArray());
    }
}
