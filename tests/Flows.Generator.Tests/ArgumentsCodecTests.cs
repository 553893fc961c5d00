using System.Buffers;
using Flows.Graph;

namespace Flows.Generator.Tests;

/// <summary>
/// The generated arguments codecs, compiled and loaded: a flow's arguments read back equal to what was
/// written, and a payload that is truncated, too long or of the wrong count is refused.
/// </summary>
public sealed class ArgumentsCodecTests
{
    [Fact]
    public void A_flows_arguments_read_back_equal_to_what_was_written()
    {
        using var assembly = DurableRunGenerationTests.Load();
        var codec = Codec(assembly, "RunFlow");
        var line = Line(assembly, "sku-1", 4);

        var read = codec.Read(Write(codec, line, 12));

        Assert.Equal(new object?[] { line, 12 }, read);
    }

    [Fact]
    public void A_flow_without_parameters_writes_only_the_version_byte_and_reads_back_no_arguments()
    {
        using var assembly = DurableRunGenerationTests.Load();
        var codec = Codec(assembly, "NoneFlow");

        var bytes = Write(codec);

        Assert.Single(bytes);
        Assert.Empty(codec.Read(bytes));
    }

    [Fact]
    public void Every_truncation_of_a_payload_is_a_serialization_error()
    {
        using var assembly = DurableRunGenerationTests.Load();
        var codec = Codec(assembly, "RunFlow");
        var bytes = Write(codec, Line(assembly, "sku-1", 4), 12);

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<FlowSerializationException>(() => codec.Read(prefix));
        }
    }

    [Theory]
    [InlineData("RunFlow")]
    [InlineData("NoneFlow")]
    public void A_payload_with_trailing_bytes_is_a_serialization_error_naming_the_flow(string flowClass)
    {
        using var assembly = DurableRunGenerationTests.Load();
        var codec = Codec(assembly, flowClass);
        var arguments = flowClass == "RunFlow" ? new object?[] { Line(assembly, "a", 1), 2 } : Array.Empty<object?>();

        var bytes = Write(codec, arguments).Append((byte)0).ToArray();

        var error = Assert.Throws<FlowSerializationException>(() => codec.Read(bytes));
        Assert.Contains("the arguments of flow 'Orders.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_another_number_of_arguments_than_the_graph_has_parameters_throws()
    {
        using var assembly = DurableRunGenerationTests.Load();
        var codec = Codec(assembly, "RunFlow");

        var error = Assert.Throws<ArgumentException>(() => codec.Write(new object?[] { 1 }, new ArrayBufferWriter<byte>()));

        Assert.Equal("arguments", error.ParamName);
        Assert.Contains("'Orders.Run' takes 2 argument(s)", error.Message, StringComparison.Ordinal);
    }

    private static IFlowArgumentsCodec Codec(LoadedAssembly assembly, string flowClass) =>
        DurableRunGenerationTests.Graph(assembly, flowClass).ArgumentsCodec!;

    private static object Line(LoadedAssembly assembly, string sku, int quantity) =>
        Activator.CreateInstance(assembly.Type("Shop.Line"), sku, quantity)!;

    private static byte[] Write(IFlowArgumentsCodec codec, params object?[] arguments)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Write(arguments, output);
        return output.WrittenSpan.ToArray();
    }
}
