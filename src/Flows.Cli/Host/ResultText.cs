using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flows.Cli.Host;

/// <summary>
/// A flow's result as text: a single value (a string, number, bool, enum, date, Guid...) as itself in the invariant
/// culture, dates and times in their ISO 8601 forms (as <c>--param</c> reads them); anything with parts (records, classes, collections, tuples) as indented JSON, which shows every part and
/// can be read back by another program; a type JSON cannot write, by its <c>ToString</c>.
/// </summary>
internal static class ResultText
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        Converters = { new JsonStringEnumConverter() },
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
    };

    public static string Format(object? value)
    {
        switch (value)
        {
            case null:
                return "null";
            case string text:
                return text;
            case Enum or bool or char or Guid:
                return value.ToString()!;
            case DateTime time:
                return time.ToString("O", CultureInfo.InvariantCulture);
            case DateTimeOffset time:
                return time.ToString("O", CultureInfo.InvariantCulture);
            case DateOnly day:
                return day.ToString("O", CultureInfo.InvariantCulture);
            case TimeOnly time:
                return time.ToString("O", CultureInfo.InvariantCulture);
            case TimeSpan span:
                return span.ToString("c", CultureInfo.InvariantCulture);
            case IFormattable formattable when value.GetType().IsPrimitive || value is decimal:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
        }

        try
        {
            var json = JsonSerializer.Serialize(value, value.GetType(), JsonOptions);
            // A type with no public properties or fields says more with its own ToString, if it has one.
            return json == "{}" && value is not IEnumerable && HasOwnToString(value.GetType()) ? value.ToString()! : json;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            return value.ToString() ?? value.GetType().Name;
        }
    }

    private static bool HasOwnToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring && declaring != typeof(object) && declaring != typeof(ValueType);
}
