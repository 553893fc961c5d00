using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Flows.CodeFixes;

/// <summary>
/// Fixes FLOW201 where a task writes the shared collection it received itself (an element, a
/// mutating call): the task copies its parameter first, so it writes its own copy and the other
/// task keeps reading the original.
/// </summary>
/// <remarks>
/// Offered only for arrays and for <c>List</c>, <c>HashSet</c>, <c>Dictionary</c>,
/// <c>SortedSet</c>, <c>SortedDictionary</c>, <c>LinkedList</c> and <c>Queue</c> of
/// <c>System.Collections.Generic</c>, whose copy constructors keep the order and contents; the
/// copy is shallow, which is why the analyzer offers it only for writes into the collection itself.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CopySharedParameterCodeFix)), Shared]
internal sealed class CopySharedParameterCodeFix : CodeFixProvider
{
    private const string DiagnosticId = "FLOW201";
    private const string CopyParameterProperty = "CopyParameter";

    // Where the analyzer puts the written task parameter among the additional locations.
    private const int ParameterLocationIndex = 2;

    private static readonly ImmutableHashSet<string> s_copyable = ImmutableHashSet.Create(
        "List`1", "HashSet`1", "Dictionary`2", "SortedSet`1", "SortedDictionary`2", "LinkedList`1", "Queue`1");

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(CopyParameterProperty, out var name) || name is null ||
                diagnostic.AdditionalLocations.Count <= ParameterLocationIndex)
            {
                continue;
            }

            var location = diagnostic.AdditionalLocations[ParameterLocationIndex];
            var document = context.Document.Project.Solution.GetDocument(location.SourceTree);
            if (document is null ||
                await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false) is not { } root ||
                root.FindNode(location.SourceSpan).FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter ||
                parameter.Parent?.Parent is not MethodDeclarationSyntax method ||
                await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is not { } model ||
                model.GetDeclaredSymbol(parameter, context.CancellationToken) is not { } symbol ||
                parameter.Type is null ||
                CopyExpression(symbol, parameter.Type.ToString()) is not { } copy)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Copy '{name}' before writing it in '{method.Identifier.ValueText}'",
                    ct => InsertCopyAsync(document, method, symbol.ContainingSymbol as IMethodSymbol, name, copy, ct),
                    equivalenceKey: nameof(CopySharedParameterCodeFix)),
                diagnostic);
        }
    }

    /// <summary><c>(T[])p.Clone()</c> for arrays, <c>new List&lt;T&gt;(p)</c> for the listed collections; null otherwise.</summary>
    private static ExpressionSyntax? CopyExpression(IParameterSymbol parameter, string display)
    {
        var name = parameter.Name;
        switch (parameter.Type)
        {
            case IArrayTypeSymbol { Rank: 1 }:
                return SyntaxFactory.ParseExpression($"({display}){name}.Clone()");
            case INamedTypeSymbol named when s_copyable.Contains(named.OriginalDefinition.MetadataName) &&
                named.ContainingNamespace.ToDisplayString() == "System.Collections.Generic":
                return SyntaxFactory.ParseExpression($"new {display}({name})");
            default:
                return null;
        }
    }

    private static async Task<Document> InsertCopyAsync(Document document, MethodDeclarationSyntax method, IMethodSymbol? symbol, string name, ExpressionSyntax copy, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var statement = SyntaxFactory.ParseStatement($"{name} = {copy};").WithAdditionalAnnotations(Formatter.Annotation);
        MethodDeclarationSyntax updated;
        if (method.Body is { } body)
        {
            updated = method.WithBody(body.WithStatements(body.Statements.Insert(0, statement)));
        }
        else if (method.ExpressionBody is { } arrow)
        {
            // `=> expr` becomes `return expr;` unless the method returns nothing (void, or an async Task).
            var returnsValue = symbol is not null && !symbol.ReturnsVoid &&
                !(symbol.IsAsync && symbol.ReturnType is INamedTypeSymbol { Arity: 0, Name: "Task" or "ValueTask" });
            StatementSyntax last = returnsValue
                ? SyntaxFactory.ReturnStatement(arrow.Expression)
                : SyntaxFactory.ExpressionStatement(arrow.Expression);
            updated = method
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(SyntaxFactory.Block(statement, last))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }
        else
        {
            return document;
        }

        return document.WithSyntaxRoot(root!.ReplaceNode(method, updated));
    }
}
