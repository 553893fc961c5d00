using System.Buffers;
using System.Collections;
using System.Reflection;
using Flows.Graph;
using Flows.Serialization;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// The generated task codecs, compiled and loaded: each input written alone reads back alone, and is
/// the very bytes it has inside the whole-arguments payload; hostile per-input payloads are refused.
/// </summary>
public sealed class GeneratedCodecTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Threading;
        using Flows;

        namespace Shop
        {
            public sealed record Line(string Sku, int Quantity);

            public enum Priority : byte { Low, High }

            public static class Steps
            {
                [Task]
                public static int Price(
                    int count, string label, CancellationToken ct, double[] weights, Line line, List<Line> lines, Priority priority, int? discount) => count;

                [Task]
                public static int Constant() => 1;
            }

            public static partial class Orders
            {
                [Flow]
                public static int Run(int count, string label, double[] weights, Line line, List<Line> lines, Priority priority, int? discount, CancellationToken ct) =>
                    Steps.Price(count, label, ct, weights, line, lines, priority, discount);

                [Flow]
                public static int One() => Steps.Constant();
            }
        }
        """;

    private const string PriceId = "Shop.Steps.Price";
    private const int PriceInputs = 7; // the cancellation token is not an input

    [Fact]
    public void Each_input_written_alone_reads_back_equal_to_the_value()
    {
        using var assembly = Load();
        var codec = Codec(assembly, PriceId);

        foreach (var values in Inputs(assembly))
        {
            for (var position = 0; position < values.Length; position++)
            {
                var bytes = WriteArgument(codec, position, values[position]);

                AssertSame(values[position], codec.ReadArgument(position, bytes));
            }
        }
    }

    [Fact]
    public void Each_input_alone_is_its_bytes_inside_the_whole_arguments_payload_behind_a_version_byte()
    {
        using var assembly = Load();
        var codec = Codec(assembly, PriceId);

        foreach (var values in Inputs(assembly))
        {
            var whole = new ArrayBufferWriter<byte>();
            codec.WriteArguments(TaskArguments.FromValues(values), whole);

            var joined = new List<byte> { WireFormat.Version };
            for (var position = 0; position < values.Length; position++)
            {
                var alone = WriteArgument(codec, position, values[position]);
                Assert.Equal(WireFormat.Version, alone[0]);
                joined.AddRange(alone.Skip(1));
            }

            Assert.Equal(whole.WrittenSpan.ToArray(), joined.ToArray());
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(PriceInputs)]
    [InlineData(int.MaxValue)]
    public void Reading_a_position_the_task_does_not_have_is_a_serialization_error_naming_task_and_position(int position)
    {
        using var assembly = Load();
        var codec = Codec(assembly, PriceId);
        var bytes = WriteArgument(codec, 0, 42);

        var error = Assert.Throws<FlowSerializationException>(() => codec.ReadArgument(position, bytes));

        Assert.Contains($"input {position} of task '{PriceId}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("positions 0 to 6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(PriceInputs)]
    public void Writing_a_position_the_task_does_not_have_throws_before_writing_anything(int position)
    {
        using var assembly = Load();
        var codec = Codec(assembly, PriceId);
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => codec.WriteArgument(position, 42, output));

        Assert.Equal("position", error.ParamName);
        Assert.Contains(PriceId, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_task_without_inputs_has_no_position_to_write_or_read()
    {
        using var assembly = Load();
        var codec = Codec(assembly, "Shop.Steps.Constant");

        Assert.Throws<ArgumentOutOfRangeException>(() => codec.WriteArgument(0, 1, new ArrayBufferWriter<byte>()));
        var error = Assert.Throws<FlowSerializationException>(() => codec.ReadArgument(0, new[] { WireFormat.Version }));
        Assert.Contains("it has no inputs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_of_a_single_input_and_a_trailing_byte_are_refused()
    {
        using var assembly = Load();
        var codec = Codec(assembly, PriceId);
        var values = Inputs(assembly)[0];

        for (var position = 0; position < values.Length; position++)
        {
            var bytes = WriteArgument(codec, position, values[position]);
            for (var length = 0; length < bytes.Length; length++)
            {
                var cut = bytes[..length];
                Assert.Throws<FlowSerializationException>(() => codec.ReadArgument(position, cut));
            }

            var longer = bytes.Append((byte)0).ToArray();
            var error = Assert.Throws<FlowSerializationException>(() => codec.ReadArgument(position, longer));
            Assert.Contains($"input {position} of task '{PriceId}'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_input_read_at_another_position_is_refused()
    {
        using var assembly = Load();
        var codec = Codec(assembly, PriceId);
        var weights = WriteArgument(codec, 2, new[] { 1.5, 2.5, 3.5 });

        // An int reads 4 of the 25 bytes after the version byte: the rest is left over.
        var error = Assert.Throws<FlowSerializationException>(() => codec.ReadArgument(0, weights));

        Assert.Contains($"input 0 of task '{PriceId}'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Inputs of <c>Price</c> (count, label, weights, line, lines, priority, discount), with and without nulls and empties.</summary>
    private static object?[][] Inputs(LoadedAssembly assembly)
    {
        var lineType = assembly.Type("Shop.Line");
        object Line(string sku, int quantity) => Activator.CreateInstance(lineType, sku, quantity)!;
        IList Lines(params object[] items)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(lineType))!;
            foreach (var item in items)
            {
                list.Add(item);
            }

            return list;
        }

        var high = Enum.ToObject(assembly.Type("Shop.Priority"), 1);
        var low = Enum.ToObject(assembly.Type("Shop.Priority"), 0);
        return
        [
            [42, "héllo", new[] { 1.5, -0.0, double.NaN }, Line("a-1", 3), Lines(Line("b", 1), Line("ç", -7)), high, 5],
            [int.MinValue, string.Empty, Array.Empty<double>(), Line(string.Empty, 0), Lines(), low, null],
            [0, null, null, null, null, low, int.MaxValue],
        ];
    }

    private static void AssertSame(object? expected, object? actual)
    {
        if (expected is IEnumerable sequence and not string)
        {
            Assert.NotNull(actual);
            Assert.Equal(expected.GetType(), actual.GetType());
            Assert.Equal(sequence.Cast<object?>(), ((IEnumerable)actual).Cast<object?>());
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    private static byte[] WriteArgument(ITaskCodec codec, int position, object? value)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.WriteArgument(position, value, output);
        return output.WrittenSpan.ToArray();
    }

    private static ITaskCodec Codec(LoadedAssembly assembly, string taskId)
    {
        var registry = (ITaskRegistry)Activator.CreateInstance(
            assembly.Assembly.GetCustomAttribute<TaskRegistryAttribute>()!.RegistryType)!;
        return registry.Find(taskId)?.Codec ?? throw new InvalidOperationException($"No codec for {taskId}.");
    }

    private static LoadedAssembly Load()
    {
        var (output, _) = GeneratorHarness.Run(Source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Info || d.IsWarningAsError));
        return new LoadedAssembly(output);
    }
}
