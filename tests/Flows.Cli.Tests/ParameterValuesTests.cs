using Flows.Cli.Host;
using Flows.Graph;

namespace Flows.Cli.Tests;

/// <summary>How <c>--param</c> and <c>--params</c> become a flow's arguments, and the errors that name what is wrong.</summary>
public sealed class ParameterValuesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("flows-cli-params-").FullName;

    private static FlowCatalogEntry Flow(string name) => FlowCatalog.Load(typeof(Orders).Assembly).Single(f => f.Id == "Flows.Cli.Tests.Orders." + name);

    private static readonly string[] PriceParams = ["quantity=3", "label=a b", "colour=green", "day=2025-05-01", "weights=1.5,2", "limit="];

    [Fact]
    public void Every_input_is_read_by_its_type_in_the_flows_order_and_the_bound_token_takes_no_argument()
    {
        var arguments = ParameterValues.Bind(Flow("Price"), PriceParams.Reverse().ToArray(), null);

        Assert.Equal(new object?[] { 3, "a b", Colour.Green, new DateOnly(2025, 5, 1), new[] { 1.5, 2.0 }, null }, arguments);
    }

    [Fact]
    public void A_value_of_the_wrong_form_names_the_flow_the_parameter_the_value_and_the_form_expected()
    {
        var error = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Price"), [.. PriceParams[1..], "quantity=three"], null));

        Assert.Equal("Flow 'Price': parameter 'quantity' (int) cannot be 'three': write a whole number from -2147483648 to 2147483647.", error.Message);
    }

    [Fact]
    public void A_name_the_flow_does_not_have_is_refused_with_the_names_it_has()
    {
        var error = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Same"), ["valeu=1"], null));

        Assert.Equal("Flow 'Same' has no parameter 'valeu' (--param); it takes: value (int).", error.Message);
    }

    [Fact]
    public void A_missing_value_is_refused_with_how_to_give_it()
    {
        var error = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Price"), PriceParams[1..], null));

        Assert.StartsWith("Flow 'Price' needs a value for 'quantity': give --param quantity=VALUE (int: a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bound_token_and_a_value_given_twice_are_refused()
    {
        var bound = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Price"), [.. PriceParams, "ct=x"], null));
        var twice = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Same"), ["value=1", "value=2"], null));
        var shape = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Same"), ["value"], null));

        Assert.Contains("parameter 'ct' (CancellationToken) is supplied by the run itself", bound.Message, StringComparison.Ordinal);
        Assert.Contains("parameter 'value' is given twice", twice.Message, StringComparison.Ordinal);
        Assert.Contains("--param 'value' is not NAME=VALUE", shape.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_without_a_text_form_must_come_from_a_json_file()
    {
        var error = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Sum"), ["items=a"], null));

        Assert.Contains("parameter 'items' is a Item[], which has no text form for --param; give it in a JSON file with --params FILE.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_file_gives_values_of_any_type_by_name()
    {
        var file = Write("""{ "items": [ { "name": "a", "count": 2 }, { "Name": "b", "Count": 3 } ] }""");

        var arguments = ParameterValues.Bind(Flow("Sum"), [], file);

        Assert.Equal(new[] { new Item("a", 2), new Item("b", 3) }, (Item[])arguments[0]!);
    }

    [Fact]
    public void A_json_file_and_params_combine_and_enums_are_read_by_name()
    {
        var file = Write("""{ "colour": "Red", "weights": [], "limit": 4 }""");

        var arguments = ParameterValues.Bind(Flow("Price"), ["quantity=1", "label=x", "day=2025-01-02"], file);

        Assert.Equal(new object?[] { 1, "x", Colour.Red, new DateOnly(2025, 1, 2), Array.Empty<double>(), 4 }, arguments);
    }

    [Fact]
    public void A_json_file_with_an_extra_name_a_bad_value_or_no_object_is_refused_naming_the_file()
    {
        var extra = Write("""{ "value": 1, "other": 2 }""");
        var bad = Write("""{ "value": "one" }""");
        var array = Write("""[1]""");

        Assert.Contains($"Flow 'Same' has no parameter 'other' (--params '{extra}')", Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Same"), [], extra)).Message, StringComparison.Ordinal);
        Assert.Contains($"Flow 'Same': parameter 'value' (int) cannot be \"one\" from '{bad}'", Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Same"), [], bad)).Message, StringComparison.Ordinal);
        Assert.Contains("must hold a JSON object", Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Same"), [], array)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_for_a_parameter_that_refuses_null_is_refused()
    {
        var file = Write("""{ "items": null }""");

        var error = Assert.Throws<CliException>(() => ParameterValues.Bind(Flow("Sum"), [], file));

        Assert.Equal("Flow 'Sum': parameter 'items' (Item[]) may not be null; give it a value.", error.Message);
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
