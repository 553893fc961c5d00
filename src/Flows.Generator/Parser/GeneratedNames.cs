using System.Globalization;
using System.Text;

namespace Flows.Generator.Parser;

/// <summary>Stable identifiers for generated members and namespaces, derived from names only.</summary>
internal static class GeneratedNames
{
    /// <summary>The namespace of an assembly's registry and serializers: <c>Flows.Generated.&lt;sanitized assembly name&gt;</c>.</summary>
    public static string AssemblyNamespace(string? assemblyName) =>
        "Flows.Generated." + Sanitize(string.IsNullOrEmpty(assemblyName) ? "Assembly" : assemblyName!, 80);

    /// <summary>A readable identifier for <paramref name="readable"/> made unique by a hash of <paramref name="identity"/>.</summary>
    public static string Key(string readable, string identity) =>
        Sanitize(readable, 40) + "_" + Fnv1a(identity).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Letters, digits and single underscores; never starts with a digit.</summary>
    public static string Sanitize(string text, int maxLength)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) && c < 128)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_')
            {
                builder.Append('_');
            }

            if (builder.Length >= maxLength)
            {
                break;
            }
        }

        var result = builder.ToString().TrimEnd('_');
        if (result.Length == 0 || char.IsDigit(result[0]))
        {
            result = "_" + result;
        }

        return result;
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
