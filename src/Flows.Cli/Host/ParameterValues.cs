using System.Text.Json;
using System.Text.Json.Serialization;
using Flows.Graph;

namespace Flows.Cli.Host;

/// <summary>
/// Turns <c>--param NAME=VALUE</c> and <c>--params FILE.json</c> into a flow's arguments, one per input in order.
/// Every problem (a name the flow does not have, a value given twice or not at all, a value that is not of its
/// parameter's type) is a <see cref="CliException"/> that names the flow, the parameter, the value and the form expected.
/// </summary>
internal static class ParameterValues
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        IncludeFields = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static object?[] Bind(FlowCatalogEntry flow, IReadOnlyList<string> parameters, string? paramsFile)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var given in parameters)
        {
            var equals = given.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--param '{given}' is not NAME=VALUE. Flow '{flow.Name}' takes: {Describe(flow)}.");
            }

            var name = given[..equals];
            var text = given[(equals + 1)..];
            var input = Input(flow, name, "--param");
            if (values.ContainsKey(input.Name))
            {
                throw new CliException($"Flow '{flow.Name}': parameter '{input.Name}' is given twice; give each parameter once.");
            }

            if (!ScalarValues.HasStringForm(input.Type))
            {
                throw new CliException(
                    $"Flow '{flow.Name}': parameter '{input.Name}' is a {input.TypeName}, which has no text form for --param; " +
                    $"give it in a JSON file with --params FILE.json, e.g. {{\"{input.Name}\": ...}}.");
            }

            if (!ScalarValues.TryParse(input.Type, text, out var value))
            {
                throw new CliException($"Flow '{flow.Name}': parameter '{input.Name}' ({input.TypeName}) cannot be '{text}': write {ScalarValues.Form(input.Type)}.");
            }

            values.Add(input.Name, value);
        }

        if (paramsFile is not null)
        {
            ReadFile(flow, paramsFile, values);
        }

        var missing = flow.Inputs.Where(p => !values.ContainsKey(p.Name)).ToList();
        if (missing.Count > 0)
        {
            var how = string.Join("; ", missing.Select(p => ScalarValues.HasStringForm(p.Type)
                ? $"--param {p.Name}=VALUE ({p.TypeName}: {ScalarValues.Form(p.Type)})"
                : $"\"{p.Name}\" in --params FILE.json ({p.TypeName})"));
            throw new CliException($"Flow '{flow.Name}' needs {(missing.Count == 1 ? "a value" : "values")} for {string.Join(", ", missing.Select(p => $"'{p.Name}'"))}: give {how}.");
        }

        foreach (var input in flow.Inputs)
        {
            if (values[input.Name] is null && !input.AllowsNull)
            {
                throw new CliException($"Flow '{flow.Name}': parameter '{input.Name}' ({input.TypeName}) may not be null; give it a value.");
            }
        }

        return flow.Inputs.Select(p => values[p.Name]).ToArray();
    }

    private static void ReadFile(FlowCatalogEntry flow, string path, Dictionary<string, object?> values)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read --params '{path}': {e.Message}");
        }
        catch (JsonException e)
        {
            throw new CliException($"--params '{path}' is not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException($"--params '{path}' must hold a JSON object of values by parameter name, e.g. {{\"{flow.Inputs.FirstOrDefault()?.Name ?? "name"}\": ...}}; it holds a {document.RootElement.ValueKind}.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var input = Input(flow, property.Name, $"--params '{path}'");
                if (values.ContainsKey(input.Name))
                {
                    throw new CliException($"Flow '{flow.Name}': parameter '{input.Name}' is given twice (with --param and in '{path}'); give each parameter once.");
                }

                try
                {
                    values.Add(input.Name, property.Value.Deserialize(input.Type, JsonOptions));
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
                {
                    throw new CliException(
                        $"Flow '{flow.Name}': parameter '{input.Name}' ({input.TypeName}) cannot be {Shorten(property.Value.GetRawText())} from '{path}': {e.Message}");
                }
            }
        }
    }

    private static FlowParameter Input(FlowCatalogEntry flow, string name, string source)
    {
        var parameter = flow.Parameters.FirstOrDefault(p => p.Name == name)
            ?? flow.Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (parameter is null)
        {
            throw new CliException($"Flow '{flow.Name}' has no parameter '{name}' ({source}); it takes: {Describe(flow)}.");
        }

        if (parameter.IsBound)
        {
            throw new CliException($"Flow '{flow.Name}': parameter '{parameter.Name}' ({parameter.TypeName}) is supplied by the run itself ({source}); leave it out.");
        }

        return parameter;
    }

    private static string Describe(FlowCatalogEntry flow) =>
        flow.Inputs.Count == 0 ? "no parameters" : string.Join(", ", flow.Inputs.Select(p => $"{p.Name} ({p.TypeName})"));

    private static string Shorten(string json) => json.Length <= 60 ? json : json[..57] + "...";
}
