using System.Collections;

namespace Flows.Cluster.Worker;

/// <summary>
/// A cheap guess at a result's size in bytes, for placement: exact for arrays of numbers and strings,
/// a per-element guess for other collections. Serializing every result just to weigh it would cost
/// more than the placement gains.
/// </summary>
internal static class SizeEstimate
{
    public static long Of(object? value) => value switch
    {
        null => 0,
        string s => 2L * s.Length,
        Array { Rank: 1 } array when array.GetType().GetElementType() is { IsPrimitive: true } => Buffer.ByteLength(array),
        ICollection collection => 16L * collection.Count,
        _ => 16,
    };
}
