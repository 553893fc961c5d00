using Flows.Cli.Host;

namespace Flows.Cli.Tests;

/// <summary>The text forms <c>--param</c> reads, in the invariant culture.</summary>
public sealed class ScalarValuesTests
{
    [Theory]
    [InlineData(typeof(int), "42", 42)]
    [InlineData(typeof(int), "-7", -7)]
    [InlineData(typeof(long), "9000000000", 9_000_000_000L)]
    [InlineData(typeof(double), "2.5", 2.5)]
    [InlineData(typeof(double), "1e3", 1000.0)]
    [InlineData(typeof(bool), "true", true)]
    [InlineData(typeof(bool), "False", false)]
    [InlineData(typeof(char), "x", 'x')]
    [InlineData(typeof(string), " spaced ", " spaced ")]
    [InlineData(typeof(Colour), "green", Colour.Green)]
    [InlineData(typeof(Colour), "Red", Colour.Red)]
    public void A_value_of_a_type_with_a_text_form_is_read_as_that_type(Type type, string text, object expected)
    {
        Assert.True(ScalarValues.TryParse(type, text, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Dates_times_durations_and_guids_are_read_in_their_invariant_forms()
    {
        Assert.True(ScalarValues.TryParse(typeof(DateTime), "2025-05-01T12:30:00Z", out var time));
        Assert.Equal(new DateTime(2025, 5, 1, 12, 30, 0, DateTimeKind.Utc), time);
        Assert.True(ScalarValues.TryParse(typeof(DateTimeOffset), "2025-05-01T12:30:00+02:00", out var offset));
        Assert.Equal(new DateTimeOffset(2025, 5, 1, 12, 30, 0, TimeSpan.FromHours(2)), offset);
        Assert.True(ScalarValues.TryParse(typeof(DateOnly), "2025-05-01", out var day));
        Assert.Equal(new DateOnly(2025, 5, 1), day);
        Assert.True(ScalarValues.TryParse(typeof(TimeSpan), "01:30:00", out var span));
        Assert.Equal(TimeSpan.FromMinutes(90), span);
        Assert.True(ScalarValues.TryParse(typeof(Guid), "3f2504e0-4f89-11d3-9a0c-0305e82c3301", out var guid));
        Assert.Equal(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"), guid);
    }

    [Theory]
    [InlineData(typeof(int), "4.5")]
    [InlineData(typeof(int), "abc")]
    [InlineData(typeof(byte), "300")]
    [InlineData(typeof(double), "2,5")]
    [InlineData(typeof(bool), "yes")]
    [InlineData(typeof(char), "xy")]
    [InlineData(typeof(Colour), "1")]
    [InlineData(typeof(Colour), "Blue")]
    [InlineData(typeof(DateOnly), "01/05/2025")]
    [InlineData(typeof(Guid), "not-a-guid")]
    public void A_value_that_is_not_of_its_type_is_refused(Type type, string text)
    {
        Assert.False(ScalarValues.TryParse(type, text, out _));
    }

    [Fact]
    public void An_array_is_a_comma_list_and_an_empty_value_is_an_empty_array()
    {
        Assert.True(ScalarValues.TryParse(typeof(int[]), "1, 2,3", out var numbers));
        Assert.Equal(new[] { 1, 2, 3 }, numbers);
        Assert.True(ScalarValues.TryParse(typeof(string[]), "a, b", out var texts));
        Assert.Equal(new[] { "a", " b" }, texts);
        Assert.True(ScalarValues.TryParse(typeof(Colour[]), "red,GREEN", out var colours));
        Assert.Equal(new[] { Colour.Red, Colour.Green }, colours);
        Assert.True(ScalarValues.TryParse(typeof(int[]), "", out var empty));
        Assert.Equal(Array.Empty<int>(), empty);
        Assert.False(ScalarValues.TryParse(typeof(int[]), "1,x", out _));
    }

    [Fact]
    public void A_nullable_value_type_takes_an_empty_value_as_null()
    {
        Assert.True(ScalarValues.TryParse(typeof(int?), "", out var none));
        Assert.Null(none);
        Assert.True(ScalarValues.TryParse(typeof(int?), "5", out var five));
        Assert.Equal(5, five);
    }

    [Theory]
    [InlineData(typeof(Item), false)]
    [InlineData(typeof(Item[]), false)]
    [InlineData(typeof(List<int>), false)]
    [InlineData(typeof(int[,]), false)]
    [InlineData(typeof(int[]), true)]
    [InlineData(typeof(Colour?), true)]
    [InlineData(typeof(decimal), true)]
    public void Only_scalars_and_arrays_of_them_have_a_text_form(Type type, bool expected)
    {
        Assert.Equal(expected, ScalarValues.HasStringForm(type));
    }

    [Fact]
    public void The_form_of_a_type_says_how_to_write_it()
    {
        Assert.Equal("a whole number from -2147483648 to 2147483647", ScalarValues.Form(typeof(int)));
        Assert.Equal("one of Red, Green (any case)", ScalarValues.Form(typeof(Colour)));
        Assert.Equal("a date such as 2025-05-01 (yyyy-MM-dd)", ScalarValues.Form(typeof(DateOnly)));
        Assert.StartsWith("a comma-separated list such as 2.5,2.5", ScalarValues.Form(typeof(double[])), StringComparison.Ordinal);
        Assert.EndsWith(", or nothing for null", ScalarValues.Form(typeof(int?)), StringComparison.Ordinal);
    }
}
