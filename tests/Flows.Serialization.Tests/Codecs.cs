using System.Buffers;
using System.Reflection;
using System.Text.Json;
using Flows.Graph;

namespace Flows.Serialization.Tests;

/// <summary>Reaches the generated codecs the way a worker does: through the assembly's task registry.</summary>
internal static class Codecs
{
    public static readonly ITaskRegistry Registry = (ITaskRegistry)Activator.CreateInstance(
        typeof(Shipping).Assembly.GetCustomAttribute<TaskRegistryAttribute>()!.RegistryType)!;

    private static readonly JsonSerializerOptions s_json = new() { IncludeFields = true, MaxDepth = 256, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static ITaskCodec For(string method) =>
        Registry.Find("Flows.Serialization.Tests.Shipping." + method)?.Codec
        ?? throw new InvalidOperationException($"No codec for {method}.");

    public static byte[] Arguments(ITaskCodec codec, params object?[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.WriteArguments(TaskArguments.FromValues(values), buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Argument(ITaskCodec codec, int position, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.WriteArgument(position, value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Result(ITaskCodec codec, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.WriteResult(value, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <paramref name="value"/> as the single argument of <paramref name="method"/> and reads it back.</summary>
    public static T RoundTrip<T>(string method, T value)
    {
        var codec = For(method);
        var bytes = Arguments(codec, value);
        var read = codec.ReadArguments(bytes);
        Assert.Equal(1, read.Count);
        var copy = (T)read[0]!;

        // The copy writes the very same bytes: nothing was lost or reordered.
        Assert.Equal(bytes, Arguments(codec, copy));
        return copy;
    }

    /// <summary>A structural rendering of a value, to compare an original with its copy.</summary>
    public static string Json(object? value) => JsonSerializer.Serialize(value, s_json);
}
