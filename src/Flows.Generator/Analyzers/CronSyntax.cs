namespace Flows.Generator.Analyzers;

/// <summary>
/// Whether a cron expression parses, by the grammar Cronos (the parser Flows.Hosting uses at run time) accepts,
/// so that a constant expression is checked at compile time without loading Cronos into the compiler. Flows.Hosting
/// reads six fields as seconds first and anything else as the standard five; this check makes the same choice.
/// The tests compare it with Cronos itself, string by string.
/// </summary>
/// <remarks>
/// The grammar (Cronos 0.13, CronParser): an optional macro (<c>@yearly</c>, <c>@annually</c>, <c>@monthly</c>,
/// <c>@weekly</c>, <c>@daily</c>, <c>@midnight</c>, <c>@hourly</c>, <c>@every_minute</c>, <c>@every_second</c>,
/// any case); or fields separated by spaces and tabs. A field is <c>*</c> or <c>?</c> with an optional
/// <c>/step</c>, or a list of values, ranges <c>a-b</c> and steps <c>a/s</c>, <c>a-b/s</c>. Values are one or
/// two digits (months and days of week also three-letter names), in the field's range; a step is 1 to the
/// field's last value. Day of month also takes <c>L</c>, <c>L-n</c> (n to 30), <c>LW</c>, <c>L-nW</c> and
/// <c>nW</c>; day of week <c>nL</c> and <c>n#k</c> (k from 1 to 5); each of those stands alone, not in a list.
/// Parsing stops at a NUL character, as Cronos's does (the field count, like Flows.Hosting's, is of the whole string).
/// </remarks>
internal static class CronSyntax
{
    private static readonly string[] Macros =
    {
        "YEARLY", "ANNUALLY", "MONTHLY", "WEEKLY", "DAILY", "MIDNIGHT", "HOURLY", "EVERY_MINUTE", "EVERY_SECOND",
    };

    private static readonly string[] MonthNames = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };

    private static readonly string[] DayNames = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

    private static readonly Field Seconds = new("seconds", 0, 59, null);
    private static readonly Field Minutes = new("minutes", 0, 59, null);
    private static readonly Field Hours = new("hours", 0, 23, null);
    private static readonly Field DaysOfMonth = new("day of month", 1, 31, null);
    private static readonly Field Months = new("month", 1, 12, MonthNames);
    private static readonly Field DaysOfWeek = new("day of week", 0, 7, DayNames);

    /// <summary>Null when <paramref name="expression"/> parses; else what is wrong, as a sentence fragment.</summary>
    public static string? Check(string expression)
    {
        var end = expression.IndexOf('\0');
        var text = end < 0 ? expression : expression.Substring(0, end);
        var reader = new Reader(text);
        reader.SkipBlanks();
        if (reader.Accept('@'))
        {
            return CheckMacro(reader);
        }

        var fieldCount = expression.Split(new[] { ' ', '\t' }, System.StringSplitOptions.RemoveEmptyEntries).Length;
        var fields = fieldCount == 6
            ? new[] { Seconds, Minutes, Hours, DaysOfMonth, Months, DaysOfWeek }
            : new[] { Minutes, Hours, DaysOfMonth, Months, DaysOfWeek };
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            var error = field == DaysOfMonth ? DayOfMonth(reader) : field == DaysOfWeek ? DayOfWeek(reader) : Plain(reader, field);
            if (error is not null)
            {
                return $"the {field.Name} field {error}";
            }

            var last = i == fields.Length - 1;
            if (!reader.IsBlank && !(last && reader.AtEnd))
            {
                return reader.AtEnd
                    ? $"it ends after the {field.Name} field: write {fields.Length} fields ({Names(fields)}), or 6 with seconds first"
                    : $"the {field.Name} field has an unexpected '{reader.Current}' (at character {reader.Position + 1})";
            }

            reader.SkipBlanks();
        }

        return reader.AtEnd ? null : $"it has more than {fields.Length} fields ({Names(fields)}), or an unexpected '{reader.Current}' (at character {reader.Position + 1})";
    }

    private static string Names(Field[] fields)
    {
        var names = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            names[i] = fields[i].Name;
        }

        return string.Join(", ", names);
    }

    private static string? CheckMacro(Reader reader)
    {
        var start = reader.Position;
        while (!reader.AtEnd && !reader.IsBlank)
        {
            reader.Next();
        }

        var name = reader.Text.Substring(start, reader.Position - start).ToUpperInvariant();
        reader.SkipBlanks();
        if (System.Array.IndexOf(Macros, name) < 0)
        {
            return $"'@{reader.Text.Substring(start, reader.Position - start).TrimEnd()}' is not a macro: use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every_minute or @every_second";
        }

        return reader.AtEnd ? null : $"a macro stands alone, and '{reader.Current}' follows it";
    }

    private static string? Plain(Reader reader, Field field)
    {
        if (reader.Accept('*') || reader.Accept('?'))
        {
            return reader.Accept('/') ? Step(reader, field) : null;
        }

        return List(reader, field);
    }

    private static string? DayOfMonth(Reader reader)
    {
        var field = DaysOfMonth;
        if (reader.Accept('*') || reader.Accept('?'))
        {
            return reader.Accept('/') ? Step(reader, field) : null;
        }

        if (reader.AcceptLetter('L'))
        {
            if (reader.Accept('-') && Number(reader, 0, field.Last - 1) is { } offsetError)
            {
                return "(L-n) " + offsetError;
            }

            reader.AcceptLetter('W');
            return null;
        }

        var error = Value(reader, field, out _);
        if (error is not null)
        {
            return error;
        }

        return reader.AcceptLetter('W') ? null : RangeAndList(reader, field);
    }

    private static string? DayOfWeek(Reader reader)
    {
        var field = DaysOfWeek;
        if (reader.Accept('*') || reader.Accept('?'))
        {
            return reader.Accept('/') ? Step(reader, field) : null;
        }

        var error = Value(reader, field, out _);
        if (error is not null)
        {
            return error;
        }

        if (reader.AcceptLetter('L'))
        {
            return null;
        }

        if (reader.Accept('#'))
        {
            return Number(reader, 1, 5) is { } nthError ? "(n#k) " + nthError : null;
        }

        return RangeAndList(reader, field);
    }

    /// <summary>A value already read; then its range or step, then the rest of the list.</summary>
    private static string? RangeAndList(Reader reader, Field field)
    {
        var error = Range(reader, field);
        while (error is null && reader.Accept(','))
        {
            error = Value(reader, field, out _) ?? Range(reader, field);
        }

        return error;
    }

    private static string? List(Reader reader, Field field) => Value(reader, field, out _) ?? RangeAndList(reader, field);

    private static string? Range(Reader reader, Field field)
    {
        if (reader.Accept('-'))
        {
            return Value(reader, field, out _) ?? (reader.Accept('/') ? Step(reader, field) : null);
        }

        return reader.Accept('/') ? Step(reader, field) : null;
    }

    private static string? Step(Reader reader, Field field) => Number(reader, 1, field.Last) is { } error ? "(a step) " + error : null;

    private static string? Number(Reader reader, int low, int high)
    {
        var start = reader.Position;
        var value = Digits(reader);
        return value < low || value > high ? $"needs a number from {low} to {high}{At(reader, start)}" : null;
    }

    private static string? Value(Reader reader, Field field, out int value)
    {
        var start = reader.Position;
        value = Digits(reader);
        if (value == -1 && field.Names is { } names && reader.Letters(3) is { } word)
        {
            value = System.Array.IndexOf(names, word.ToUpperInvariant());
            if (value >= 0 && field == Months)
            {
                value++;
            }
        }

        if (value < field.First || value > field.Last)
        {
            var named = field.Names is null ? string.Empty : $" or a name ({field.Names[0]}, {field.Names[1]}, ...)";
            return $"needs a number from {field.First} to {field.Last}{named}{At(reader, start)}";
        }

        return null;
    }

    /// <summary>One or two digits (three or more are refused, as Cronos refuses them); -1 when none.</summary>
    private static int Digits(Reader reader)
    {
        if (!reader.IsDigit)
        {
            return -1;
        }

        var value = reader.Next() - '0';
        if (!reader.IsDigit)
        {
            return value;
        }

        value = (value * 10) + (reader.Next() - '0');
        return reader.IsDigit ? -1 : value;
    }

    /// <summary>Where the refused value starts, counting characters from 1.</summary>
    private static string At(Reader reader, int start) => start >= reader.Text.Length ? " (at the end)" : $" (at character {start + 1})";

    private sealed class Field
    {
        public Field(string name, int first, int last, string[]? names)
        {
            Name = name;
            First = first;
            Last = last;
            Names = names;
        }

        public string Name { get; }

        public int First { get; }

        public int Last { get; }

        public string[]? Names { get; }
    }

    private sealed class Reader
    {
        public Reader(string text) => Text = text;

        public string Text { get; }

        public int Position { get; private set; }

        public bool AtEnd => Position >= Text.Length;

        public char Current => AtEnd ? '\0' : Text[Position];

        public bool IsBlank => Current is ' ' or '\t';

        public bool IsDigit => Current is >= '0' and <= '9';

        public char Next() => Text[Position++];

        public bool Accept(char c)
        {
            if (Current != c || AtEnd)
            {
                return false;
            }

            Position++;
            return true;
        }

        /// <summary>Accepts <paramref name="upper"/> in either case.</summary>
        public bool AcceptLetter(char upper) => Accept(upper) || Accept(char.ToLowerInvariant(upper));

        /// <summary>The next <paramref name="count"/> ASCII letters, consumed, or null (nothing consumed past the first non-letter).</summary>
        public string? Letters(int count)
        {
            var start = Position;
            for (var i = 0; i < count; i++)
            {
                if (Current is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z')))
                {
                    return null;
                }

                Position++;
            }

            return Text.Substring(start, count);
        }

        public void SkipBlanks()
        {
            while (IsBlank)
            {
                Position++;
            }
        }
    }
}
