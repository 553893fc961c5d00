using System.Collections.Generic;
using System.Linq;
using Flows.Generator.Diagnostics;
using Flows.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Flows.Generator.Parser;

internal sealed partial class FlowParser
{
    /// <summary>
    /// Checks the flow method itself (rules FLOW001 to FLOW004) and registers its parameters as
    /// graph inputs. Null when the declaration is refused: the body is not worth parsing then.
    /// </summary>
    private FlowSignature? CheckDeclaration(MethodDeclarationSyntax declaration)
    {
        var at = declaration.Identifier.GetLocation();
        var before = _diagnostics.Count;
        if (!_flow.IsStatic)
        {
            Report(DiagnosticDescriptors.FlowMustBeStatic, at, _flow.Name);
        }

        foreach (var type in ContainingTypeSymbols())
        {
            var allPartial = type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(_cancellationToken))
                .All(s => s is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!allPartial)
            {
                Report(DiagnosticDescriptors.FlowTypeMustBePartial, at, _flow.Name, type.Name);
                break;
            }
        }

        if (_flow.IsGenericMethod || ContainingTypeSymbols().Any(t => t.IsGenericType))
        {
            Report(DiagnosticDescriptors.FlowMustNotBeGeneric, at, _flow.Name);
        }

        var resultType = CheckReturnType(declaration, at);
        if (declaration.Body is null && declaration.ExpressionBody is null)
        {
            ReportSignature(at, "it has no body to compile");
        }

        var overloads = _flow.ContainingType.GetMembers(_flow.Name).OfType<IMethodSymbol>().Count(KnownSymbols.IsFlow);
        if (overloads > 1)
        {
            ReportSignature(at, $"another flow in '{_flow.ContainingType.Name}' is also named '{_flow.Name}'; give each flow its own name, since each gets a class named '{_flow.Name}Flow'");
        }

        var parameters = new List<ParameterModel>();
        foreach (var parameter in _flow.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                ReportSignature(at, $"its parameter '{parameter.Name}' is passed by reference; a graph input is a value");
            }
            else if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind == TypeKind.Pointer)
            {
                ReportSignature(at, $"its parameter '{parameter.Name}' is a ref struct or pointer, which a graph cannot hold");
            }
            else if (!KnownSymbols.IsBound(parameter.Type))
            {
                _parameters.Add(parameter, parameters.Count);
                parameters.Add(new ParameterModel(TypeNames.Identifier(parameter.Name), parameter.Name, TypeNames.Global(parameter.Type), RefusesNull(parameter)));
            }
        }

        if (_diagnostics.Count > before)
        {
            return null;
        }

        return new FlowSignature(DisplayName(), parameters.ToEquatableArray(), resultType);
    }

    /// <summary>
    /// A parameter the signature promises is never null: a reference type without <c>?</c>, declared
    /// where nullable annotations are enabled (where they are disabled the annotation is
    /// <c>NullableAnnotation.None</c>, which promises nothing). A type parameter may stand for a
    /// nullable type, so it is never refused (and generic flows are refused anyway, FLOW003).
    /// </summary>
    private static bool RefusesNull(IParameterSymbol parameter) =>
        parameter.NullableAnnotation == NullableAnnotation.NotAnnotated &&
        parameter.Type.IsReferenceType &&
        parameter.Type.TypeKind != TypeKind.TypeParameter;

    /// <summary>The type whose value the flow produces: <c>T</c> of <c>async Task&lt;T&gt;</c>, the sync return type, or null.</summary>
    private ITypeSymbol? CheckReturnType(MethodDeclarationSyntax declaration, Location at)
    {
        var isAsync = declaration.Modifiers.Any(SyntaxKind.AsyncKeyword);
        if (_flow.ReturnsByRef || _flow.ReturnsByRefReadonly)
        {
            ReportSignature(at, "it returns by reference");
            return null;
        }

        if (KnownSymbols.IsTaskLike(_flow.ReturnType, out var result, out _))
        {
            if (!isAsync)
            {
                ReportSignature(at, "it returns a task but is not 'async'; mark it 'async' and await its asynchronous steps");
            }

            return result;
        }

        if (isAsync)
        {
            ReportSignature(at, _flow.ReturnsVoid
                ? "it is 'async void'; return Task so that callers can await it"
                : $"an async flow must return Task, Task<T>, ValueTask or ValueTask<T>, not '{_flow.ReturnType.Name}'");
            return null;
        }

        if (_flow.ReturnsVoid)
        {
            return null;
        }

        if (_flow.ReturnType.IsRefLikeType)
        {
            ReportSignature(at, $"its result type '{_flow.ReturnType.Name}' is a ref struct, which a graph cannot hold");
        }

        return _flow.ReturnType;
    }

    private void ReportSignature(Location at, string reason) =>
        Report(DiagnosticDescriptors.FlowSignatureNotSupported, at, _flow.Name, reason);

    private string DisplayName()
    {
        var attribute = KnownSymbols.FindAttribute(_flow, task: false);
        if (attribute is not null)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Name" && argument.Value.Value is string { Length: > 0 } name)
                {
                    return name;
                }
            }
        }

        return _flow.ContainingType.Name + "." + _flow.Name;
    }

    /// <summary>The flow's containing types, outermost first.</summary>
    private IEnumerable<INamedTypeSymbol> ContainingTypeSymbols()
    {
        var types = new List<INamedTypeSymbol>();
        for (var type = _flow.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, type);
        }

        return types;
    }

    private IEnumerable<ContainingTypeModel> ContainingTypes() =>
        ContainingTypeSymbols().Select(t => new ContainingTypeModel(Keyword(t), t.Name));

    private static string Keyword(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        _ => type.IsRecord ? "record" : "class",
    };

    private readonly record struct FlowSignature(string DisplayName, EquatableArray<ParameterModel> Parameters, ITypeSymbol? ResultType);
}
