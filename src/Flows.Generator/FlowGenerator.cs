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
public sealed class FlowGenerator : IIncrementalGenerator
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

        context.RegisterSourceOutput(emitted, static (context, flow) =>
            context.AddSource(flow.HintName, FlowEmitter.Emit(flow)));
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
