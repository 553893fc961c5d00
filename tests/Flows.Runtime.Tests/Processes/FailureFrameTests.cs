using Flows.Processes;

namespace Flows.Runtime.Tests.Processes;

/// <summary>
/// The type chain a process worker's failure frame carries (protocol 3): read back as written, and a
/// malformed one refused as a protocol error (the worker is then treated as broken), never trusted.
/// </summary>
public sealed class FailureFrameTests
{
    [Fact]
    public void A_type_chain_is_read_back_as_written()
    {
        var names = ReadChain(b => Chain(b, "System.IO.FileNotFoundException", "System.IO.IOException", "System.Exception"));

        Assert.Equal(new[] { "System.IO.FileNotFoundException", "System.IO.IOException", "System.Exception" }, names);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_count_below_one_or_more_than_the_frame_can_hold_is_refused(int count)
    {
        var error = Assert.Throws<WorkerProtocolException>(() => ReadChain(b =>
        {
            b.WriteInt32(count);
            b.WriteString("System.Exception");
        }));

        Assert.Contains("type chain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_name_is_refused()
    {
        var error = Assert.Throws<WorkerProtocolException>(() => ReadChain(b => Chain(b, "Acme.Failure", string.Empty)));

        Assert.Contains("empty type name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_cut_short_is_refused()
    {
        Assert.Throws<WorkerProtocolException>(() => ReadChain(b =>
        {
            b.WriteInt32(3);
            b.WriteString("Acme.Failure");
            b.WriteString("System.Exception");
        }));
    }

    private static void Chain(FrameBuffer buffer, params string[] names)
    {
        buffer.WriteInt32(names.Length);
        foreach (var name in names)
        {
            buffer.WriteString(name);
        }
    }

    private static string[] ReadChain(Action<FrameBuffer> write)
    {
        var buffer = new FrameBuffer();
        write(buffer);
        var reader = new PayloadReader(buffer.WrittenSpan);
        return reader.ReadTypeChain();
    }
}
