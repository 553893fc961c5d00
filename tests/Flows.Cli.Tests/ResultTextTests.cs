using Flows.Cli.Host;

namespace Flows.Cli.Tests;

/// <summary>A flow's result as <c>flows run</c> prints it: single values as themselves, values with parts as JSON.</summary>
public sealed class ResultTextTests
{
    [Fact]
    public void A_single_value_is_printed_as_itself_in_the_invariant_culture()
    {
        Assert.Equal("42", ResultText.Format(42));
        Assert.Equal("2.5", ResultText.Format(2.5));
        Assert.Equal("text", ResultText.Format("text"));
        Assert.Equal("Green", ResultText.Format(Colour.Green));
        Assert.Equal("True", ResultText.Format(true));
        Assert.Equal("2025-05-01", ResultText.Format(new DateOnly(2025, 5, 1)));
        Assert.Equal("2025-05-01T12:30:00.0000000Z", ResultText.Format(new DateTime(2025, 5, 1, 12, 30, 0, DateTimeKind.Utc)));
        Assert.Equal("null", ResultText.Format(null));
    }

    [Fact]
    public void A_record_or_collection_is_printed_as_indented_json()
    {
        Assert.Equal("{\n  \"Name\": \"a\",\n  \"Count\": 2\n}", ResultText.Format(new Item("a", 2)).ReplaceLineEndings("\n"));
        Assert.Equal("[\n  1,\n  2\n]", ResultText.Format(new[] { 1, 2 }).ReplaceLineEndings("\n"));
        Assert.Equal("{\n  \"Item1\": 1,\n  \"Item2\": \"x\"\n}", ResultText.Format((1, "x")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_value_json_shows_nothing_of_is_printed_by_its_own_ToString()
    {
        Assert.Equal("opaque 7", ResultText.Format(new Opaque(7)));
    }

    private sealed class Opaque(int value)
    {
        public override string ToString() => "opaque " + value;
    }
}
