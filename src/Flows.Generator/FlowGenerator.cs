using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Flows.Generator.Emitter;
using Flows.Generator.Model;
using Flows.Generator.Parser;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator;

/// <summary>
/// Compiles every <c>[Flow]</c> method into a static graph and a typed <c>RunAsync</c>, emitted
/// as a nested <c>&lt;Method&gt;Flow</c> class next to the flow.
/// </summary>
/// <remarks>
/// The generator reports nothing: a refused body simply gets no file, and
/// <see cref="FlowBodyAnalyzer"/> (which runs the same parser) says why.
/// </remarks>
[Generator(LanguageNames.CSharp)]
internal sealed class FlowGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownSymbols.FlowAttributeMetadataName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (context, cancellationToken) => context.TargetSymbol is IMethodSymbol method
                    ? FlowParser.Parse((MethodDeclarationSyntax)context.TargetNode, method, context.SemanticModel, cancellationToken).Model
                    : null)
            .WithTrackingName(FlowGeneratorSteps.FlowModels);

        var accepted = models
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(FlowGeneratorSteps.AcceptedFlows);

        var all = accepted.Collect().WithTrackingName(FlowGeneratorSteps.AllFlows);

        var emitted = all
            .SelectMany(static (flows, _) => Emittable(flows))
            .WithTrackingName(FlowGeneratorSteps.EmittedFlows);

        var registryNamespace = context.CompilationProvider
            .Select(static (compilation, _) => GeneratedNames.AssemblyNamespace(compilation.AssemblyName))
            .WithTrackingName(FlowGeneratorSteps.RegistryNamespace);

        var flowFiles = emitted.Combine(registryNamespace).WithTrackingName(FlowGeneratorSteps.FlowFiles);
        context.RegisterSourceOutput(flowFiles, static (context, input) =>
            context.AddSource(input.Left.HintName, FlowEmitter.Emit(input.Left, input.Right)));

        var registry = emitted.Collect()
            .Combine(registryNamespace)
            .Select(static (input, _) => Registry(input.Left, input.Right))
            .WithTrackingName(FlowGeneratorSteps.Registry);

        context.RegisterSourceOutput(registry, static (context, model) =>
        {
            if (model is null)
            {
                return;
            }

            context.AddSource("Flows.TaskRegistry.g.cs", RegistryEmitter.Emit(model));
            context.AddSource("Flows.Serializers.g.cs", SerializerEmitter.Emit(model));
        });

        var catalog = emitted.Collect()
            .Combine(registryNamespace)
            .Select(static (input, _) => CatalogEmitter.Model(input.Left, input.Right))
            .WithTrackingName(FlowGeneratorSteps.Catalog);

        context.RegisterSourceOutput(catalog, static (context, model) =>
        {
            if (model is not null)
            {
                context.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(model));
            }
        });
    }

    /// <summary>
    /// The registry of an assembly with flows: each task in a registry once (by id, sorted), and
    /// each type shape its codecs and the flows' arguments codecs need once (by key, sorted). Null for
    /// an assembly with no flows.
    /// </summary>
    private static RegistryModel? Registry(ImmutableArray<FlowModel> flows, string ns)
    {
        if (flows.IsEmpty)
        {
            return null;
        }

        var tasks = new SortedDictionary<string, TaskModel>(System.StringComparer.Ordinal);
        var shapes = new SortedDictionary<string, TypeShapeModel>(System.StringComparer.Ordinal);
        foreach (var task in flows.SelectMany(f => f.Tasks).Where(t => t.InRegistry))
        {
            if (tasks.ContainsKey(task.Id))
            {
                continue;
            }

            // Field names are per flow; the registry names members by key.
            tasks.Add(task.Id, task with { FieldName = string.Empty, InvokerName = string.Empty, Shapes = EquatableArray<TypeShapeModel>.Empty });
            foreach (var shape in task.Shapes)
            {
                shapes[shape.Key] = shape;
            }
        }

        // The flows' arguments codecs write through the same serializers.
        foreach (var shape in flows.SelectMany(f => f.ArgumentShapes))
        {
            shapes[shape.Key] = shape;
        }

        return new RegistryModel(ns, tasks.Values.ToEquatableArray(), shapes.Values.ToEquatableArray());
    }

    /// <summary>
    /// The flows whose subflows are all emitted too and never lead back to themselves: a graph
    /// that referenced a missing or cyclic subflow would not compile or would not initialize.
    /// </summary>
    private static ImmutableArray<FlowModel> Emittable(ImmutableArray<FlowModel> flows)
    {
        var byId = new Dictionary<string, FlowModel>();
        foreach (var flow in flows)
        {
            // Two models with one id are overloads, which the parser refuses; keep the first.
            if (!byId.ContainsKey(flow.Id))
            {
                byId.Add(flow.Id, flow);
            }
        }

        var verdicts = new Dictionary<string, bool>();
        var visiting = new HashSet<string>();

        bool IsEmittable(string id)
        {
            if (verdicts.TryGetValue(id, out var known))
            {
                return known;
            }

            if (!byId.TryGetValue(id, out var flow) || !visiting.Add(id))
            {
                return false;
            }

            var ok = flow.Nodes
                .Where(n => n.Kind == NodeKind.Subflow && n.SubflowInSource)
                .All(n => IsEmittable(n.SubflowId!));
            visiting.Remove(id);
            verdicts[id] = ok;
            return ok;
        }

        return flows.Where(f => IsEmittable(f.Id)).ToImmutableArray();
    }
}
