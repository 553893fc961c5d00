using System.Buffers.Binary;

namespace Flows.Serialization.Tests;

/// <summary>Explicit hostile payloads, each refused with a message that says what and where.</summary>
public sealed class HostileTests
{
    [Theory]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFEu)]
    [InlineData(0x7FFFFFFEu)]
    public void A_forged_length_of_two_to_the_31_is_refused_without_allocating_it(uint length)
    {
        var payload = new List<byte> { WireFormat.Version };
        payload.AddRange(VarUInt(length + 1));
        payload.AddRange(new byte[64]);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoDoubles").ReadArguments(payload.ToArray()));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Contains("length", error.Message, StringComparison.Ordinal);
        Assert.Contains("byte 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_position_the_task_does_not_have_is_refused_naming_task_and_position()
    {
        var codec = Codecs.For("Add");
        var payload = Codecs.Argument(codec, 0, 7);

        foreach (var position in new[] { -1, 3, int.MinValue })
        {
            var error = Assert.Throws<FlowSerializationException>(() => codec.ReadArgument(position, payload));

            Assert.Contains($"input {position} of task 'Flows.Serialization.Tests.Shipping.Add'", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(7, codec.ReadArgument(0, payload));
    }

    [Fact]
    public void A_forged_string_length_is_refused()
    {
        var payload = new List<byte> { WireFormat.Version };
        payload.AddRange(VarUInt(int.MaxValue));
        payload.AddRange("abc"u8.ToArray());

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoString").ReadArguments(payload.ToArray()));

        Assert.Contains("String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overlong_varint_is_refused()
    {
        var payload = new byte[] { WireFormat.Version, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 };

        Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoDoubles").ReadArguments(payload));
    }

    [Fact]
    public void Nesting_ten_thousand_deep_is_refused_at_the_depth_limit_without_overflowing_the_stack()
    {
        var payload = new List<byte> { WireFormat.Version };
        for (var i = 0; i < 10_000; i++)
        {
            payload.Add(1);
            payload.AddRange(BitConverter.GetBytes(i));
        }

        payload.Add(0);

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoNode").ReadArguments(payload.ToArray()));

        Assert.Contains($"more than {WireFormat.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)2)]
    [InlineData((byte)255)]
    public void A_wrong_version_is_refused_naming_both_versions(byte version)
    {
        var payload = Codecs.Arguments(Codecs.For("EchoOrder"), new Random(1).Order());
        payload[0] = version;

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoOrder").ReadArguments(payload));

        Assert.Contains($"wire version {version}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"reads version {WireFormat.Version}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_payload_is_refused()
    {
        Assert.Throws<FlowSerializationException>(() => Codecs.For("Add").ReadArguments(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void A_payload_truncated_at_every_offset_is_refused()
    {
        var codec = Codecs.For("EchoEverything");
        var payload = Codecs.Arguments(codec, Samples.Full());

        for (var length = 0; length < payload.Length; length++)
        {
            var cut = payload.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => codec.ReadArguments(cut));
            Assert.True(error is FlowSerializationException, $"length {length} of {payload.Length}: {error?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Trailing_bytes_are_refused()
    {
        var payload = Codecs.Arguments(Codecs.For("EchoString"), "hi").Append((byte)0).ToArray();

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoString").ReadArguments(payload));

        Assert.Contains("remain after the last value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_null_marker_is_refused_naming_the_type_and_offset()
    {
        var payload = new byte[] { WireFormat.Version, 7 };

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoNode").ReadArguments(payload));

        Assert.Contains("Cannot read Node at byte 1 of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_dictionary_key_is_refused()
    {
        // List of one Dictionary<string, int[]> with one entry whose key is null.
        var payload = new byte[] { WireFormat.Version, 2, 2, 0, 0 };

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.For("EchoNested").ReadArguments(payload));

        Assert.Contains("a key is null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_no_type_can_hold_are_refused()
    {
        var reader = Codecs.For("EchoEverything");
        var valid = Codecs.Arguments(reader, Samples.Full());

        // The first member is a bool: 2 is neither true nor false.
        var badBool = valid.ToArray();
        badBool[2] = 2;
        Assert.Contains("Boolean", Assert.Throws<FlowSerializationException>(() => reader.ReadArguments(badBool)).Message, StringComparison.Ordinal);

        // The decimal's flags (after bool, byte, sbyte, short, ushort, char, int, uint, long, ulong, float, double and the low, mid, high ints).
        var flagsOffset = 2 + 1 + 1 + 1 + 2 + 2 + 2 + 4 + 4 + 8 + 8 + 4 + 8 + 12;
        var badDecimal = valid.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(badDecimal.AsSpan(flagsOffset), 0x00FF0000);
        Assert.Contains("Decimal", Assert.Throws<FlowSerializationException>(() => reader.ReadArguments(badDecimal)).Message, StringComparison.Ordinal);
    }

    private static byte[] VarUInt(uint value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return bytes.ToArray();
    }
}
