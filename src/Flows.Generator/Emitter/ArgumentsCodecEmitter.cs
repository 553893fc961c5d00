using System.Linq;
using Flows.Generator.Model;

namespace Flows.Generator.Emitter;

/// <summary>
/// Writes a flow's arguments codec: the nested class that writes and reads the flow's graph parameters,
/// in order, with the assembly's generated serializers, as a task's codec writes its inputs. A flow
/// whose parameter types cannot all be serialized gets none (its graph's <c>ArgumentsCodec</c> is null).
/// </summary>
internal static class ArgumentsCodecEmitter
{
    public const string ClassName = "FlowArgumentsCodec";
    private const string Graph = "global::Flows.Graph.";
    private const string Serialization = "global::Flows.Serialization.";

    public static void Write(SourceWriter writer, FlowModel flow, string registryNamespace)
    {
        if (flow.ArgumentsProblem is not null)
        {
            writer.Line($"// No arguments codec, so no store can keep this flow's runs: {flow.ArgumentsProblem.Replace('\n', ' ')}.");
            return;
        }

        var serializers = new SerializerEmitter(flow.ArgumentShapes);
        var qualifier = $"global::{registryNamespace}.{SerializerEmitter.ClassName}.";
        var parameters = flow.Parameters;
        var count = parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var what = FlowEmitter.Literal($"the arguments of flow '{flow.DisplayName}'");

        writer.Line($"/// <summary>Writes and reads the arguments of flow <c>{Xml(flow.DisplayName)}</c>, so that a store can keep them for a resume.</summary>");
        writer.OpenBlock($"private sealed class {ClassName} : {Graph}IFlowArgumentsCodec");
        writer.Line($"public static readonly {ClassName} Instance = new();");
        writer.Line();
        writer.OpenBlock("public void Write(object?[] arguments, global::System.Buffers.IBufferWriter<byte> output)");
        writer.OpenBlock("if (arguments is null)");
        writer.Line("throw new global::System.ArgumentNullException(nameof(arguments));");
        writer.CloseBlock();
        writer.Line();
        writer.OpenBlock($"if (arguments.Length != {count})");
        writer.Line("throw new global::System.ArgumentException(" +
            FlowEmitter.Literal($"Flow '{flow.DisplayName}' takes {count} argument(s), one per graph parameter, but was given ") +
            " + arguments.Length + \".\", nameof(arguments));");
        writer.CloseBlock();
        writer.Line();
        writer.Line($"var w = new {Serialization}FlowWriter(output);");
        for (var i = 0; i < parameters.Count; i++)
        {
            writer.Line(serializers.WriteStatement(parameters[i].ShapeKey, $"({parameters[i].Type})arguments[{i}]!", qualifier));
        }

        writer.Line("w.Flush();");
        writer.CloseBlock();
        writer.Line();
        writer.OpenBlock("public object?[] Read(global::System.ReadOnlySpan<byte> input)");
        writer.Line($"var r = new {Serialization}FlowReader(input);");
        for (var i = 0; i < parameters.Count; i++)
        {
            writer.Line($"var a{i} = {serializers.ReadExpression(parameters[i].ShapeKey, qualifier)};");
        }

        writer.Line($"r.EnsureEnd({what});");
        writer.Line(parameters.Count == 0
            ? "return global::System.Array.Empty<object?>();"
            : "return new object?[] { " + string.Join(", ", parameters.Select((_, i) => "a" + i)) + " };");
        writer.CloseBlock();
        writer.CloseBlock();
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
