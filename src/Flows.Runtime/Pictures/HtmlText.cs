using System.Globalization;
using System.Text;

namespace Flows.Pictures;

/// <summary>Text as the report writes it: escaped for HTML and SVG (which the report keeps valid XML), numbers and times invariant.</summary>
internal static class HtmlText
{
    /// <summary>Escapes <c>&amp; &lt; &gt; " '</c>; control characters other than tab and line breaks, which XML refuses, become spaces.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '"':
                    builder.Append("&quot;");
                    break;
                case '\'':
                    builder.Append("&#39;");
                    break;
                case '\t' or '\n' or '\r':
                    builder.Append(c);
                    break;
                default:
                    // XML 1.0 cannot hold these either; lone surrogates are replaced below.
                    builder.Append(char.IsControl(c) || c is '\uFFFE' or '\uFFFF' ? ' ' : c);
                    break;
            }
        }

        return ValidSurrogates(builder.ToString());
    }

    /// <summary>Cuts text to at most <paramref name="max"/> characters, ending with an ellipsis when cut.</summary>
    public static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A duration as people read it: <c>850 µs</c>, <c>12.3 ms</c>, <c>4.56 s</c>, <c>2 min 5 s</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        var ms = duration.TotalMilliseconds;
        return ms <= 0 ? "0"
            : ms < 1 ? (ms * 1000).ToString("0", CultureInfo.InvariantCulture) + " µs"
            : ms < 1000 ? ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms"
            : ms < 60_000 ? (ms / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
            : $"{(int)duration.TotalMinutes} min {duration.Seconds} s";
    }

    /// <summary>Replaces a surrogate that is not half of a pair (which XML cannot hold) with U+FFFD.</summary>
    private static string ValidSurrogates(string text)
    {
        char[]? chars = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                chars ??= text.ToCharArray();
                chars[i] = '\uFFFD';
            }
        }

        return chars is null ? text : new string(chars);
    }
}
