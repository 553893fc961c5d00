using System.ComponentModel;
using System.Reflection;
using Flows.Graph;
using Flows.Serialization;
using Microsoft.CodeAnalysis;

namespace Flows.Generator.Tests;

/// <summary>
/// The Flows.Runtime API that exists for generated code is hidden from users' IntelliSense with
/// <c>[EditorBrowsable(Never)]</c>, and the generated code reaches no other Flows.Runtime member
/// except the few that are meant for users too.
/// </summary>
public sealed class GeneratedCodeOnlyApiTests
{
    /// <summary>Types public only because generated code uses them.</summary>
    private static readonly Type[] GeneratedCodeOnlyTypes =
    {
        typeof(FlowRunner),
        typeof(IMapAdapter),
        typeof(MapAdapter<,>),
        typeof(TryMapAdapter<,>),
        typeof(TaskArguments),
        typeof(TaskInvoker),
        typeof(ITaskCodec),
        typeof(ITaskRegistry),
        typeof(TaskRegistryAttribute),
        typeof(IFlowCatalog),
        typeof(FlowCatalogAttribute),
        typeof(FlowWriter),
        typeof(FlowReader),
    };

    /// <summary>Members of user-visible types that are public only because generated code calls them.</summary>
    private static readonly MemberInfo[] GeneratedCodeOnlyMembers =
    {
        typeof(FlowGraph).GetConstructors()[0],
        typeof(FlowGraph).GetConstructors()[1],
        typeof(TaskDescriptor).GetConstructors().Single(),
        typeof(FlowParameter).GetConstructors().Single(),
        typeof(FlowCatalogEntry).GetMethod(nameof(FlowCatalogEntry.Returning))!,
        typeof(FlowCatalogEntry).GetMethod(nameof(FlowCatalogEntry.ReturningNothing))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForTask))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForMap))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForTryMap))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForSubflow))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForJoin))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForMerge))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForItem))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.ForTryEnd))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.InBranch))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.After))!,
        typeof(FlowNode).GetMethod(nameof(FlowNode.CaughtBy))!,
        typeof(FlowBranch).GetMethod(nameof(FlowBranch.When))!,
        typeof(FlowBranch).GetMethod(nameof(FlowBranch.WhenNone))!,
        typeof(FlowBranch).GetMethod(nameof(FlowBranch.Caught))!,
        typeof(FlowBranch).GetMethod(nameof(FlowBranch.NothingCaught))!,
    };

    /// <summary>
    /// Flows.Runtime symbols generated code may name without hiding them: users see these
    /// (a flow's <c>Graph</c>, its <c>RunAsync</c> signature, the exception a bad payload raises).
    /// </summary>
    private static readonly HashSet<string> UserFacing = new(StringComparer.Ordinal)
    {
        "Flows.FlowExecutor",
        "Flows.FlowRun",
        "Flows.FlowRun<T>",
        "Flows.FlowRunOptions",
        "Flows.FlowSerializationException",
        "Flows.FlowSerializationException.FlowSerializationException(string)",
        "Flows.Graph.FlowGraph",
        "Flows.Graph.FlowCatalogEntry",
        "Flows.Graph.FlowParameter",
        "Flows.Graph.FlowGraph.ToDot()",
        "Flows.Graph.FlowGraph.ToMermaid()",
        "Flows.Graph.FlowNode",
        "Flows.Graph.FlowBranch",
        "Flows.Graph.FlowEdgeKind",
        "Flows.Graph.FlowEdgeKind.Completed",
        "Flows.Graph.FlowEdgeKind.Ran",
        "Flows.Graph.FlowEdgeKind.Settled",
        "Flows.Graph.TaskDescriptor",
        "Flows.Graph.TaskDescriptor.Id",
    };

    public static TheoryData<string> ListedTypes() => new(GeneratedCodeOnlyTypes.Select(t => t.FullName!));

    public static TheoryData<string> ListedMembers() => new(GeneratedCodeOnlyMembers.Select(Describe));

    [Theory]
    [MemberData(nameof(ListedTypes))]
    public void Generated_code_only_type_is_hidden_from_editors(string fullName)
    {
        var type = GeneratedCodeOnlyTypes.Single(t => t.FullName == fullName);

        Assert.True(IsNeverBrowsable(type), $"{fullName} is for generated code only but lacks [EditorBrowsable(EditorBrowsableState.Never)].");
    }

    [Theory]
    [MemberData(nameof(ListedMembers))]
    public void Generated_code_only_member_is_hidden_from_editors(string member)
    {
        var info = GeneratedCodeOnlyMembers.Single(m => Describe(m) == member);

        Assert.True(IsNeverBrowsable(info), $"{member} is for generated code only but lacks [EditorBrowsable(EditorBrowsableState.Never)].");
    }

    [Fact]
    public void Generated_code_uses_only_hidden_or_user_facing_Flows_Runtime_symbols()
    {
        var (output, result) = GeneratorHarness.Run([.. SampleFlows.All, TolerantMapEmitTests.Source]);
        var runtime = typeof(FlowGraph).Assembly.GetName().Name;
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var exposed = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var tree in result.GeneratedTrees)
        {
            var model = output.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetSymbolInfo(node).Symbol?.OriginalDefinition is not { } symbol
                    || symbol is INamespaceSymbol
                    || symbol.ContainingAssembly?.Name != runtime)
                {
                    continue;
                }

                var name = symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
                seen.Add(name);
                if (!IsNeverBrowsable(symbol) && !UserFacing.Contains(name))
                {
                    exposed.Add(name);
                }
            }
        }

        // The walk found the generated code's calls at all (so an empty result below means something).
        Assert.Contains("Flows.Graph.FlowRunner.RunAsync<T>(Flows.Graph.FlowGraph, Flows.FlowExecutor, object?[], Flows.FlowRunOptions?, System.Threading.CancellationToken)", seen);
        Assert.Contains(seen, s => s.StartsWith("Flows.Serialization.FlowWriter.", StringComparison.Ordinal));
        Assert.True(exposed.Count == 0,
            "Generated code uses Flows.Runtime symbols that are neither [EditorBrowsable(Never)] (with the doc line " +
            "'Called by generated code; not for direct use.') nor listed as user-facing: " + string.Join(", ", exposed));
    }

    private static bool IsNeverBrowsable(MemberInfo member) =>
        member.GetCustomAttribute<EditorBrowsableAttribute>() is { State: EditorBrowsableState.Never };

    /// <summary>The symbol, or a type that contains it, is marked <c>[EditorBrowsable(Never)]</c>.</summary>
    private static bool IsNeverBrowsable(ISymbol symbol)
    {
        for (var s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            var marked = s.GetAttributes().Any(a =>
                a.AttributeClass?.ToDisplayString() == typeof(EditorBrowsableAttribute).FullName
                && a.ConstructorArguments is [{ Value: int state }]
                && state == (int)EditorBrowsableState.Never);
            if (marked)
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(MemberInfo member) =>
        member is ConstructorInfo constructor
            ? $"{member.DeclaringType!.Name} constructor ({constructor.GetParameters().Length} parameters)"
            : member.DeclaringType!.Name + "." + member.Name;
}
