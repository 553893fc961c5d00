using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

/// <summary>
/// Compiles one <c>[Flow]</c> method's body into a <see cref="FlowModel"/>, or explains why it
/// cannot. Shared by the generator (which keeps the model) and the analyzer (which reports the
/// diagnostics), so both always agree on what a flow body may hold.
/// </summary>
/// <remarks>
/// The accepted language is deliberately small: each statement is a step whose meaning in the
/// graph is exactly its meaning when the body runs eagerly. Anything else is refused rather than
/// approximated.
/// </remarks>
internal sealed partial class FlowParser
{
    private readonly SemanticModel _semanticModel;
    private readonly IMethodSymbol _flow;
    private readonly CancellationToken _cancellationToken;
    private readonly ImmutableArray<Diagnostic>.Builder _diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
    private readonly ImmutableArray<SubflowCall>.Builder _subflowCalls = ImmutableArray.CreateBuilder<SubflowCall>();
    private readonly ImmutableArray<NodeSite>.Builder _nodeSites = ImmutableArray.CreateBuilder<NodeSite>();

    // Graph inputs: the flow's parameters that are not cancellation tokens, by symbol.
    private readonly Dictionary<IParameterSymbol, int> _parameters = new(SymbolEqualityComparer.Default);

    // The branches of the body, the try blocks being parsed and the returns met so far.
    private readonly List<PendingBranch> _branches = new();
    private readonly Stack<TryContext> _tries = new();
    private readonly List<PendingReturn> _returns = new();

    private readonly List<string> _constants = new();
    private readonly Dictionary<IMethodSymbol, int> _taskIndexes = new(SymbolEqualityComparer.Default);
    private readonly List<TaskModel> _tasks = new();
    private readonly HashSet<string> _memberNames = new() { "s_graph" };
    private readonly List<PendingNode> _nodes = new();
    private readonly Dictionary<string, int> _nodeNameCounts = new();

    // Set when the compiler itself reports an error the parser relies on (an unbound call):
    // no model, and no diagnostic of ours on top of the compiler's.
    private bool _unbound;

    // What is known at the point being parsed, on the path being parsed.
    private BodyPath _path = new();

    private ITypeSymbol? _resultType;

    private FlowParser(SemanticModel semanticModel, IMethodSymbol flow, CancellationToken cancellationToken)
    {
        _semanticModel = semanticModel;
        _flow = flow;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Parses the flow declared by <paramref name="declaration"/>.</summary>
    public static FlowParseResult Parse(
        MethodDeclarationSyntax declaration,
        IMethodSymbol flow,
        SemanticModel semanticModel,
        CancellationToken cancellationToken)
    {
        var parser = new FlowParser(semanticModel, flow, cancellationToken);
        var model = parser.Run(declaration);
        return new FlowParseResult(model, parser._diagnostics.ToImmutable(), parser._subflowCalls.ToImmutable(), parser._nodeSites.ToImmutable());
    }

    private FlowModel? Run(MethodDeclarationSyntax declaration)
    {
        var signature = CheckDeclaration(declaration);
        if (signature is null)
        {
            return null;
        }

        var outputSlot = ParseBody(declaration, signature.Value.ResultType);
        if (_diagnostics.Count > 0 || _unbound)
        {
            return null;
        }

        var parameterCount = _parameters.Count;
        var constantCount = _constants.Count;
        int Resolve(SlotRef slot) => slot.Kind switch
        {
            SlotKind.Parameter => slot.Index,
            SlotKind.Constant => parameterCount + slot.Index,
            _ => parameterCount + constantCount + slot.Index,
        };

        var nodes = _nodes
            .Select(n => n.Node with { InputSlots = n.Inputs.Select(Resolve).ToEquatableArray() })
            .ToEquatableArray();
        var branches = _branches
            .Select(b => new BranchModel(b.Parent, Resolve(b.Condition), b.Test, b.Values.ToEquatableArray(), b.Clause))
            .ToEquatableArray();
        var resolvedOutput = outputSlot is { } result ? Resolve(result) : -1;
        nodes = MapChainFinder.Mark(nodes, branches, resolvedOutput, parameterCount + constantCount);
        var containingTypes = ContainingTypes().ToEquatableArray();
        var arguments = FlowArguments.Analyze(_flow, signature.Value.Parameters);
        var ns = TypeNames.Namespace(_flow.ContainingType);
        var hintName = string.Join(".", new[] { ns }.Concat(containingTypes.Select(t => t.Name)).Where(s => s.Length > 0))
            + "." + _flow.Name + ".Flow.g.cs";

        return new FlowModel(
            TypeNames.Id(_flow),
            ns,
            containingTypes,
            _flow.Name,
            _flow.Name + "Flow",
            signature.Value.DisplayName,
            AccessibilityKeyword(_flow.DeclaredAccessibility),
            arguments.Parameters,
            signature.Value.ResultType is null ? null : TypeNames.Global(signature.Value.ResultType),
            _tasks.ToEquatableArray(),
            _constants.ToEquatableArray(),
            nodes,
            resolvedOutput,
            hintName)
        {
            Branches = branches,
            ArgumentsProblem = arguments.Problem,
            ArgumentShapes = arguments.Shapes,
            Catalog = CatalogSignatures.Of(_flow, signature.Value.ResultType, _parameters.ContainsKey),
        };
    }

    private Diagnostic Report(DiagnosticDescriptor descriptor, SyntaxNode node, params object?[] args) =>
        Report(descriptor, node.GetLocation(), args);

    private Diagnostic Report(DiagnosticDescriptor descriptor, Location location, params object?[] args)
    {
        var diagnostic = Diagnostic.Create(descriptor, location, args);
        _diagnostics.Add(diagnostic);
        return diagnostic;
    }

    private static string AccessibilityKeyword(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Private => "private",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "internal",
    };

    /// <summary>Where a value comes from before slot numbers are known (constants are counted last).</summary>
    private readonly record struct SlotRef(SlotKind Kind, int Index);

    private enum SlotKind
    {
        Parameter,
        Constant,
        Node,
    }

    private sealed record PendingNode(NodeModel Node, List<SlotRef> Inputs);
}
