using System.Collections.Immutable;
using Flows;

namespace Flows.Serialization.Tests;

public enum Color : byte { Red, Green, Blue }

public enum Big : long { Min = long.MinValue, Max = long.MaxValue }

/// <summary>A record through its primary constructor.</summary>
public sealed record Point(int X, int Y);

/// <summary>A record with nested collections: the benchmark's shape too.</summary>
public sealed record Order(
    Guid Id,
    string Customer,
    DateTime Placed,
    decimal Total,
    List<OrderLine> Lines,
    Dictionary<string, int> Counters,
    string[] Tags,
    double[] Samples);

public sealed record OrderLine(string Sku, int Quantity, double Price, Color Color);

/// <summary>A class with a parameterless constructor and settable and init-only properties.</summary>
public sealed class Settings
{
    public string? Name { get; set; }

    public int Level { get; init; }

    public TimeSpan? Timeout { get; set; }

    public HashSet<string> Flags { get; set; } = new();

    /// <summary>Computed: not written.</summary>
    public int NameLength => Name?.Length ?? 0;
}

/// <summary>A class through a constructor whose parameter names differ in case, plus a settable property.</summary>
public sealed class Mixed
{
    public Mixed(string label, long count)
    {
        Label = label;
        Count = count;
    }

    public string Label { get; }

    public long Count { get; }

    public DateTimeOffset? When { get; set; }
}

/// <summary>A mutable struct with public fields.</summary>
public struct Vector
{
    public float X;
    public float Y;
    public float Z;
}

/// <summary>A readonly struct through its constructor.</summary>
public readonly record struct Money(decimal Amount, string Currency);

/// <summary>An empty struct still takes one byte on the wire.</summary>
public readonly struct Nothing
{
}

/// <summary>A recursive type: nesting is bounded by the depth limit.</summary>
public sealed class Node
{
    public int Value { get; set; }

    public Node? Next { get; set; }
}

/// <summary>A class that is not sealed: derived instances are refused at write time.</summary>
public class Animal
{
    public string? Name { get; set; }
}

public sealed class Dog : Animal
{
    public bool Barks { get; set; }
}

/// <summary>Everything at once.</summary>
public sealed record Everything(
    bool Flag,
    byte B,
    sbyte Sb,
    short S,
    ushort Us,
    char C,
    int I,
    uint Ui,
    long L,
    ulong Ul,
    float F,
    double D,
    decimal M,
    string? Text,
    DateTime Date,
    DateTimeOffset Offset,
    TimeSpan Span,
    Guid Guid,
    Color Color,
    Big Big,
    int? MaybeInt,
    Point? MaybePoint,
    int[]? Ints,
    Color[] Colors,
    Guid[] Guids,
    string?[] Strings,
    int[][] Jagged,
    List<Point> Points,
    HashSet<long> Set,
    Dictionary<string, List<int>> Map,
    Dictionary<int, Point?> Sparse,
    IReadOnlyList<string> ReadOnlyList,
    IEnumerable<int> Sequence,
    IReadOnlyDictionary<string, double> ReadOnlyMap,
    ImmutableArray<int> ImmutableArray,
    ImmutableList<string> ImmutableList,
    ImmutableHashSet<int> ImmutableSet,
    ImmutableDictionary<string, Point> ImmutableMap,
    (int, string) Pair,
    (int Count, double Mean, string Label) Named,
    Tuple<int, string>? OldTuple,
    ValueTuple<int> Single,
    Vector Vector,
    Money Money,
    Nothing Nothing,
    Settings? Settings,
    Mixed? Mixed,
    Node? Chain,
    Animal? Animal);
