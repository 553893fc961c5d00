namespace Flows.Runtime.Tests.Shell;

/// <summary>A command's output is kept as its last characters, within the limit, with truncation said.</summary>
public sealed class OutputTailTests
{
    [Fact]
    public void Text_within_the_limit_is_kept_whole_and_not_truncated()
    {
        var tail = new OutputTail(10);
        tail.Append("abc");
        tail.Append("def");

        Assert.Equal("abcdef", tail.ToString());
        Assert.False(tail.Truncated);
    }

    [Fact]
    public void Past_the_limit_the_last_characters_are_kept_across_chunks()
    {
        var tail = new OutputTail(5);
        foreach (var chunk in new[] { "abc", "defg", "h", "ijklm", "no" })
        {
            tail.Append(chunk);
        }

        Assert.Equal("klmno", tail.ToString());
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void A_chunk_longer_than_the_limit_keeps_its_end()
    {
        var tail = new OutputTail(4);
        tail.Append("ab");
        tail.Append("0123456789");

        Assert.Equal("6789", tail.ToString());
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void A_limit_of_zero_keeps_nothing_and_says_so_only_when_there_was_text()
    {
        var empty = new OutputTail(0);
        empty.Append(string.Empty);
        Assert.Equal(string.Empty, empty.ToString());
        Assert.False(empty.Truncated);

        var tail = new OutputTail(0);
        tail.Append("x");
        Assert.Equal(string.Empty, tail.ToString());
        Assert.True(tail.Truncated);
    }

    [Fact]
    public void Many_chunks_through_a_growing_ring_give_the_same_tail_as_the_whole_text()
    {
        var random = new Random(7);
        var whole = new System.Text.StringBuilder();
        var tail = new OutputTail(3000);
        for (var i = 0; i < 500; i++)
        {
            var chunk = new string((char)('a' + (i % 26)), random.Next(0, 40));
            whole.Append(chunk);
            tail.Append(chunk);
        }

        var text = whole.ToString();
        Assert.Equal(text.Length > 3000 ? text[^3000..] : text, tail.ToString());
        Assert.Equal(text.Length > 3000, tail.Truncated);
    }
}
