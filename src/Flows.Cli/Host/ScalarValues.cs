using System.Globalization;

namespace Flows.Cli.Host;

/// <summary>
/// The string forms of parameter types that have one, read in the invariant culture: strings, bools, chars, numbers,
/// enums (by name), <see cref="DateTime"/>, <see cref="DateTimeOffset"/>, <see cref="DateOnly"/>,
/// <see cref="TimeOnly"/>, <see cref="TimeSpan"/>, <see cref="Guid"/>, their nullable forms (an empty value is
/// null), and arrays of them written as comma lists.
/// </summary>
internal static class ScalarValues
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Whether <paramref name="type"/> can be given as text with <c>--param</c>.</summary>
    public static bool HasStringForm(Type type) =>
        type.IsArray ? type.GetArrayRank() == 1 && IsScalar(type.GetElementType()!) : IsScalar(Nullable.GetUnderlyingType(type) ?? type);

    /// <summary>How a value of <paramref name="type"/> is written, for error messages.</summary>
    public static string Form(Type type)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            return $"a comma-separated list such as {Example(element)},{Example(element)} (nothing for an empty array), each {Single(element)}";
        }

        var underlying = Nullable.GetUnderlyingType(type);
        return underlying is null ? Single(type) : Single(underlying) + ", or nothing for null";
    }

    /// <summary>Reads <paramref name="text"/> as a <paramref name="type"/>; false when it is not one.</summary>
    public static bool TryParse(Type type, string text, out object? value)
    {
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var parts = text.Length == 0 ? [] : text.Split(',');
            var array = Array.CreateInstance(element, parts.Length);
            for (var i = 0; i < parts.Length; i++)
            {
                if (!TryParseOne(element, element == typeof(string) ? parts[i] : parts[i].Trim(), out var item))
                {
                    value = null;
                    return false;
                }

                array.SetValue(item, i);
            }

            value = array;
            return true;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            if (text.Length == 0)
            {
                value = null;
                return true;
            }

            return TryParseOne(underlying, text.Trim(), out value);
        }

        return TryParseOne(type, type == typeof(string) ? text : text.Trim(), out value);
    }

    private static bool IsScalar(Type type) =>
        type.IsEnum || type == typeof(string) || type == typeof(bool) || type == typeof(char) || IsNumber(type) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeOnly) ||
        type == typeof(TimeSpan) || type == typeof(Guid);

    private static bool IsNumber(Type type) =>
        type == typeof(sbyte) || type == typeof(byte) || type == typeof(short) || type == typeof(ushort) ||
        type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong) ||
        type == typeof(float) || type == typeof(double) || type == typeof(decimal);

    private static bool TryParseOne(Type type, string text, out object? value)
    {
        value = null;
        if (type.IsEnum)
        {
            // By name only: a number would be accepted by Enum.TryParse even when no member has it.
            var name = Enum.GetNames(type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return false;
            }

            value = Enum.Parse(type, name);
            return true;
        }

        value = ParseOrNull(type, text);
        return value is not null;
    }

    /// <summary>The value <paramref name="text"/> writes, or null when it is not a <paramref name="type"/> (never a valid value here).</summary>
    private static object? ParseOrNull(Type type, string text)
    {
        const NumberStyles Integer = NumberStyles.AllowLeadingSign;
        const NumberStyles Real = NumberStyles.Float;
        return type switch
        {
            _ when type == typeof(string) => text,
            _ when type == typeof(bool) => bool.TryParse(text, out var b) ? b : null,
            _ when type == typeof(char) => text.Length == 1 ? text[0] : null,
            _ when type == typeof(sbyte) => sbyte.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(byte) => byte.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(short) => short.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(ushort) => ushort.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(int) => int.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(uint) => uint.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(long) => long.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(ulong) => ulong.TryParse(text, Integer, Invariant, out var n) ? n : null,
            _ when type == typeof(float) => float.TryParse(text, Real, Invariant, out var n) ? n : null,
            _ when type == typeof(double) => double.TryParse(text, Real, Invariant, out var n) ? n : null,
            _ when type == typeof(decimal) => decimal.TryParse(text, Real, Invariant, out var n) ? n : null,
            _ when type == typeof(DateTime) => DateTime.TryParse(text, Invariant, DateTimeStyles.RoundtripKind, out var d) ? d : null,
            _ when type == typeof(DateTimeOffset) => DateTimeOffset.TryParse(text, Invariant, DateTimeStyles.None, out var d) ? d : null,
            _ when type == typeof(DateOnly) => DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var d) ? d : null,
            _ when type == typeof(TimeOnly) => TimeOnly.TryParse(text, Invariant, DateTimeStyles.None, out var t) ? t : null,
            _ when type == typeof(TimeSpan) => TimeSpan.TryParse(text, Invariant, out var t) ? t : null,
            _ when type == typeof(Guid) => Guid.TryParse(text, out var g) ? g : null,
            _ => null,
        };
    }

    private static string Single(Type type) => type switch
    {
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))} (any case)",
        _ when type == typeof(string) => "any text",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(char) => "a single character",
        _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => $"a number such as {Example(type)} (a dot before the decimals)",
        _ when IsNumber(type) => $"a whole number from {MinOf(type)} to {MaxOf(type)}",
        _ when type == typeof(DateTime) => $"a date and time such as {Example(type)} (ISO 8601)",
        _ when type == typeof(DateTimeOffset) => $"a date and time with its offset such as {Example(type)} (ISO 8601)",
        _ when type == typeof(DateOnly) => $"a date such as {Example(type)} (yyyy-MM-dd)",
        _ when type == typeof(TimeOnly) => $"a time of day such as {Example(type)}",
        _ when type == typeof(TimeSpan) => $"a duration such as {Example(type)} ([d.]hh:mm[:ss[.fff]])",
        _ when type == typeof(Guid) => $"a GUID such as {Example(type)}",
        _ => $"a {type.Name}",
    };

    private static string Example(Type type) => type switch
    {
        _ when type.IsEnum => Enum.GetNames(type).FirstOrDefault() ?? "Name",
        _ when type == typeof(string) => "text",
        _ when type == typeof(bool) => "true",
        _ when type == typeof(char) => "x",
        _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "2.5",
        _ when IsNumber(type) => "42",
        _ when type == typeof(DateTime) => "2025-05-01T12:30:00Z",
        _ when type == typeof(DateTimeOffset) => "2025-05-01T12:30:00+02:00",
        _ when type == typeof(DateOnly) => "2025-05-01",
        _ when type == typeof(TimeOnly) => "12:30",
        _ when type == typeof(TimeSpan) => "00:01:30",
        _ when type == typeof(Guid) => "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        _ => "?",
    };

    private static string MinOf(Type type) => Convert.ToString(type.GetField("MinValue")!.GetValue(null), Invariant)!;

    private static string MaxOf(Type type) => Convert.ToString(type.GetField("MaxValue")!.GetValue(null), Invariant)!;
}
