using System.Globalization;

namespace Flows.Cluster.Memory;

/// <summary>
/// Sizes as people write them: plain bytes (<c>1073741824</c>), decimal units (<c>512MB</c>, <c>4GB</c>:
/// powers of 1000, as Dask reads them) and binary units (<c>512MiB</c>, <c>4GiB</c>: powers of 1024),
/// case-insensitive, with or without a space, with a fraction (<c>1.5GiB</c>).
/// </summary>
internal static class MemorySize
{
    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("kib", 1L << 10), ("mib", 1L << 20), ("gib", 1L << 30), ("tib", 1L << 40),
        ("kb", 1_000L), ("mb", 1_000_000L), ("gb", 1_000_000_000L), ("tb", 1_000_000_000_000L),
        ("k", 1_000L), ("m", 1_000_000L), ("g", 1_000_000_000L), ("t", 1_000_000_000_000L),
        ("b", 1L),
    ];

    /// <summary>The size <paramref name="text"/> names, in bytes; false for anything else (negative, empty, an unknown unit, too large).</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var trimmed = text?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        long factor = 1;
        foreach (var (suffix, unit) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = unit;
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var total = number * factor;
        if (total > long.MaxValue)
        {
            return false;
        }

        bytes = (long)total;
        return true;
    }

    /// <summary>Bytes for people: <c>512 MiB</c>, <c>3.2 GiB</c>.</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
